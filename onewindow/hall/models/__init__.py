from onewindow.hall.models.queues import HallSettings, PriorityKind, QueueCategory, WindowQueue
from onewindow.hall.models.tickets import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Ticket,
    TicketSequence,
    TicketSource,
    TicketStatus,
    TidalEvent,
)

__all__ = [
    "Appointment",
    "AppointmentSlot",
    "AppointmentStatus",
    "HallSettings",
    "PriorityKind",
    "QueueCategory",
    "Ticket",
    "TicketSequence",
    "TicketSource",
    "TicketStatus",
    "TidalEvent",
    "WindowQueue",
]
