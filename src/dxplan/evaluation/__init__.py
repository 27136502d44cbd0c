"""Evaluation (評価): indicators judged on the plan's scale, people's verdicts, the summary tables
(集計表) and the consistency check of published figures (数値の検算)."""
