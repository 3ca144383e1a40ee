from onewindow.org.services.config import (
    save_business_category,
    save_center,
    save_department,
    save_region,
    save_window,
    window_set_open,
)
from onewindow.org.services.staff import record_failed_login, save_staff, staff_change_password

__all__ = [
    "record_failed_login",
    "save_business_category",
    "save_center",
    "save_department",
    "save_region",
    "save_staff",
    "save_window",
    "staff_change_password",
    "window_set_open",
]
