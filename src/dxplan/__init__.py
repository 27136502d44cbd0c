"""dxplan: a municipality's DX / ICT plan as data, through the yearly PDCA cycle."""

__version__ = "0.1.0"
