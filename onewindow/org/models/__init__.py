from onewindow.org.models.regions import Region, ServiceCenter
from onewindow.org.models.staff import User
from onewindow.org.models.units import BusinessCategory, Department, Window

__all__ = ["BusinessCategory", "Department", "Region", "ServiceCenter", "User", "Window"]
