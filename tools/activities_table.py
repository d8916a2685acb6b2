"""Write the activity vocabulary's table (from `dbt_project/seeds/activities.csv`) into the
files that quote it (the README and the dbt docs block), between their markers:

    .venv/bin/python tools/activities_table.py

tests/orchestration/test_activities.py fails while a copy differs from the seed.
"""

from __future__ import annotations

from orchestration.config.activities import QUOTED_IN, with_current_table


def main() -> None:
    for path in QUOTED_IN:
        path.write_text(with_current_table(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
