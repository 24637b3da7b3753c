"""Pure domain model: frozen dataclasses, Decimal money, explicit units. No I/O, no project imports."""
