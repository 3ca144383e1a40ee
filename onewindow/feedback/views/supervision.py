"""Group supervision pages: 吐槽找茬 (public and staff), the 堵点难点卡点 problem ledger with its monthly
专项汇总, and 微创新. Each module declares its own urlpatterns; this one lists them for feedback/urls.py."""

from onewindow.feedback.views import complaints_public, complaints_staff, innovation, ledger

urlpatterns = [
    *complaints_public.urlpatterns,
    *complaints_staff.urlpatterns,
    *ledger.urlpatterns,
    *innovation.urlpatterns,
]
