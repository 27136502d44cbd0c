"""Plans: sections, initiatives, schedules, indicators, goals, fiscal effects, revisions."""
