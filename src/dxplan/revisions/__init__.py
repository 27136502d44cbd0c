"""Revisions (改訂): open one, change the plan inside it, adopt it into the plan's 改訂履歴."""
