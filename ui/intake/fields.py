"""The applicant's and owner's text fields as the intake form shows them (also the correction dialog's),
kept apart from the form so that the case view can use them without loading the intake page."""

from __future__ import annotations

TEXT_FIELDS = (  # IntakeForm field, label, placeholder — in the order of Mẫu 01
    ("applicant_name", "Họ và tên người nộp:", ""),
    ("applicant_id_number", "Số CCCD/định danh:", "12 chữ số"),
    ("applicant_address", "Địa chỉ:", ""),
    ("applicant_phone", "Điện thoại:", "0xxx xxx xxx"),
    ("applicant_email", "Thư điện tử:", ""),
    ("owner_name", "Họ và tên chủ hồ sơ:", "để trống nếu là người nộp"),
    ("owner_id_number", "Số CCCD chủ hồ sơ:", "12 chữ số"),
    ("owner_address", "Địa chỉ chủ hồ sơ:", ""),
)
