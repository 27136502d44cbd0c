"""dxplan serve: the web application (pages and the REST API)."""

from __future__ import annotations

from datetime import time

import click

from dxplan.cli.common import Context, pass_context
from dxplan.cli.reporting import run_reminders
from dxplan.reporting.daily import start_daily
from dxplan.settings import get_settings


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="The address to listen on.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    metavar="PORT",
    help="The port to listen on.",
)
@pass_context
def serve_command(context: Context, host: str, port: int) -> None:
    """Serve the web application (pages and the REST API) with uvicorn.

    Behind an HTTPS proxy the session cookie is marked Secure (the proxy's `X-Forwarded-Proto`
    is trusted from 127.0.0.1). When `DXPLAN_REMIND_DAILY_AT` is set, the reminders of
    `dxplan remind` go out every day at that time (JST).
    """
    import uvicorn

    from dxplan.web.app import create_app

    context.require_current_schema()
    settings = get_settings()
    app = create_app(settings, engine=context.engine)
    if settings.remind_daily_at:
        at = time.fromisoformat(settings.remind_daily_at)
        start_daily(at, lambda today: run_reminders(context, settings, today))
        click.echo(f"reminders go out every day at {settings.remind_daily_at} (JST)", err=True)
    click.echo(f"dxplan is serving at http://{host}:{port}/ (Ctrl+C stops it)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)


COMMANDS = (serve_command,)
