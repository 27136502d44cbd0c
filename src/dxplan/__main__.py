"""python -m dxplan"""

from dxplan.cli import main

main()
