"""The Japanese names of the published documents and their formats (pure; keyed by the values
of `documents.content.Kind` and `documents.build.Format`)."""

from __future__ import annotations

from typing import Final

KIND_TITLES: Final[dict[str, str]] = {
    "sheets": "取組シート",
    "progress": "取組結果",
    "summary": "取組結果の総括",
    "revisions": "改訂履歴",
}
"""Each document's title, as the seeds name them."""

KIND_DESCRIPTIONS: Final[dict[str, str]] = {
    "sheets": "取組ごとに1ページ：名称、担当課、年度ごとの取組、評価指標と目標値、指標の考え方",
    "progress": "取組事項一覧と、取組ごとの目的・活動内容・年度ごとの取組結果・"
    "計画と実績・目標の達成状況",
    "summary": "計画が公表した集計値（進捗状況・達成状況・財政健全化効果額など）と"
    "再計算の値、付録に数値の検算",
    "revisions": "改定日、計画番号、計画名称、主な改定内容（概要）",
}
"""What each document holds, for the page that offers them (文書の出力)."""

FORMAT_LABELS: Final[dict[str, str]] = {"pdf": "PDF", "xlsx": "Excel（xlsx）"}
"""Each format's name, for the download links."""
