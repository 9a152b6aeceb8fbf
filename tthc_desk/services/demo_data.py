"""The demo office: a district one-stop desk modelled on the letters that started the project."""

from __future__ import annotations

DEMO_PASSWORD = "demo123"

OFFICE = {
    "name": "Bộ phận Một cửa huyện Tây Sơn",
    "code": "000.00.17.H10",
    "place_name": "Tây Sơn",
    "parent_body": "ỦY BAN NHÂN DÂN\nHUYỆN TÂY SƠN",
    "issuing_body": "BỘ PHẬN MỘT CỬA",
    "address": "Số 01 đường Quang Trung, thị trấn Phú Phong, huyện Tây Sơn",
    "phone": "0256 3880 123",
    "signers": [
        {"prefix": "KT.", "authority": "CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Nguyễn Văn Hùng"},
        {"prefix": "TM.", "authority": "ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Đoàn Văn Phương"},
        {"prefix": "", "authority": "", "title": "TRƯỞNG BỘ PHẬN MỘT CỬA", "name": "Trần Thị Thu Hà"},
    ],
}

# (name, kind, late propensity, volume weight)
DEPARTMENTS = [
    ("Phòng Tư pháp", "phòng ban", 0.02, 1.0),
    ("Phòng Tài nguyên và Môi trường", "phòng ban", 0.06, 1.0),
    ("Phòng Tài chính - Kế hoạch", "phòng ban", 0.02, 1.0),
    ("Phòng Kinh tế và Hạ tầng", "phòng ban", 0.03, 1.0),
    ("Phòng Lao động - Thương binh và Xã hội", "phòng ban", 0.01, 1.0),
    ("Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn", "cơ quan", 0.09, 1.0),
]
COMMUNES = [
    ("UBND thị trấn Phú Phong", 0.02, 3.0),
    ("UBND xã Bình Tân", 0.17, 1.2),
    ("UBND xã Bình Nghi", 0.07, 1.2),
    ("UBND xã Bình Hòa", 0.03, 1.0),
    ("UBND xã Bình Tường", 0.02, 1.1),
    ("UBND xã Tây Phú", 0.06, 0.9),
    ("UBND xã Tây An", 0.01, 0.9),
    ("UBND xã Tây Thuận", 0.04, 0.7),
    ("UBND xã Tây Bình", 0.02, 0.9),
    ("UBND xã Tây Vinh", 0.01, 0.8),
    ("UBND xã Bình Thuận", 0.03, 0.8),
    ("UBND xã Tây Giang", 0.0, 0.5),
    ("UBND xã Vĩnh An", 0.02, 0.08),
]

USERS = [
    # username, full name, title, role, unit name (None = desk)
    ("admin", "Quản trị hệ thống", "Quản trị", "admin", None),
    ("tiepnhan1", "Lê Thị Hoa", "Cán bộ tiếp nhận", "desk", None),
    ("tiepnhan2", "Phạm Văn Minh", "Cán bộ tiếp nhận", "desk", None),
    ("tiepnhan3", "Võ Thị Ngọc Ánh", "Cán bộ tiếp nhận", "desk", None),
    ("chuyenvien.tp", "Huỳnh Văn Tâm", "Chuyên viên", "specialist", "Phòng Tư pháp"),
    ("chuyenvien.dd", "Đặng Thị Lan", "Chuyên viên", "specialist", "Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn"),
    ("binhtan", "Nguyễn Thị Kim Chi", "Công chức Tư pháp - Hộ tịch", "specialist", "UBND xã Bình Tân"),
    ("lanhdao", "Nguyễn Văn Hùng", "Phó Chủ tịch UBND huyện", "leader", None),
]

ID_CARD = [("Căn cước công dân", 0, 0, 1)]
# code, amount, unit, lead ("commune" | a department name), weight, papers, workflow [(name, lead|unit, days)]
PROCEDURES = [
    ("1.001193", None, "same_day", "commune", 12, [("Tờ khai đăng ký khai sinh", 1, 0, 0), ("Giấy chứng sinh", 1, 0, 0), *ID_CARD], []),
    ("1.000894", None, "same_day", "commune", 5, [("Tờ khai đăng ký kết hôn", 1, 0, 0), *ID_CARD, ("Giấy xác nhận tình trạng hôn nhân", 1, 0, 0)], []),
    ("1.000656", None, "same_day", "commune", 4, [("Tờ khai đăng ký khai tử", 1, 0, 0), ("Giấy báo tử", 1, 0, 0)], []),
    ("1.004873", 3, "working_days", "commune", 8, [("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", 1, 0, 0), *ID_CARD], []),
    ("1.004859", 3, "working_days", "Phòng Tư pháp", 3, [("Tờ khai thay đổi, cải chính hộ tịch", 1, 0, 0), ("Giấy tờ làm căn cứ cải chính", 0, 1, 0)], []),
    ("2.000908", 1, "working_days", "commune", 6, [("Đơn đề nghị cấp bản sao từ sổ gốc", 1, 0, 0), *ID_CARD], []),
    ("2.000815", None, "same_day", "commune", 15, [("Bản chính giấy tờ cần chứng thực", 1, 0, 0), ("Bản sao cần chứng thực", 0, 0, 1)], []),
    ("2.000884", None, "same_day", "commune", 6, [("Giấy tờ, văn bản cần chứng thực chữ ký", 1, 0, 0), *ID_CARD], []),
    ("2.001035", 2, "working_days", "commune", 4, [("Dự thảo hợp đồng, giao dịch", 1, 0, 0), ("Giấy chứng nhận quyền sử dụng đất", 0, 1, 0), *ID_CARD], []),
    ("1.012753", 20, "working_days", "Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn", 4,
     [("Đơn đăng ký đất đai, tài sản gắn liền với đất (Mẫu 04/ĐK)", 1, 0, 0), ("Giấy tờ về quyền sử dụng đất", 0, 1, 0), ("Mảnh trích đo địa chính", 1, 0, 0), *ID_CARD],
     [("Thẩm tra hồ sơ, đo đạc", "Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn", 12), ("Thẩm định, trình ký", "Phòng Tài nguyên và Môi trường", 5), ("Ký, đóng dấu", "Bộ phận Một cửa", 3)]),
    ("1.012796", 8, "working_days", "Chi nhánh Văn phòng đăng ký đất đai huyện Tây Sơn", 2,
     [("Đơn đề nghị đính chính", 1, 0, 0), ("Giấy chứng nhận đã cấp", 1, 0, 0)], []),
    ("1.013949", 15, "calendar_days", "Phòng Tài nguyên và Môi trường", 1, [("Đơn xin giao đất, cho thuê đất", 1, 0, 0), ("Trích lục bản đồ địa chính", 1, 0, 0)], []),
    ("1.001612", 3, "working_days", "Phòng Tài chính - Kế hoạch", 4, [("Giấy đề nghị đăng ký hộ kinh doanh", 1, 0, 0), *ID_CARD], []),
    ("2.000720", 3, "working_days", "Phòng Tài chính - Kế hoạch", 2, [("Thông báo thay đổi nội dung đăng ký hộ kinh doanh", 1, 0, 0)], []),
    ("1.014632", 7, "calendar_days", "Phòng Kinh tế và Hạ tầng", 1, [("Đơn đăng ký mua, thuê nhà ở xã hội", 1, 0, 0), ("Giấy tờ chứng minh đối tượng", 0, 1, 0)], []),
    ("1.004837", 3, "working_days", "Phòng Lao động - Thương binh và Xã hội", 1, [("Tờ khai đăng ký giám hộ", 1, 0, 0), ("Văn bản cử người giám hộ", 1, 0, 0)], []),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đoàn", "Trương", "Lương"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Xuân", "Ngọc"]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Kim", "Thị Ngọc", "Thị Mỹ", "Thị Bích", "Thị Thanh", "Ngọc"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Trung", "Tuấn", "Việt", "Vinh"]
GIVEN_F = ["Anh", "Ánh", "Chi", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Tuyết", "Yến"]
VILLAGES = ["thôn Kiên Long", "thôn Phú Lạc", "thôn Thượng Giang", "khối Phú Xuân", "khối Hòa Lạc", "thôn Hòa Hiệp", "thôn Trường Định", "thôn Mỹ Thạch", "thôn Xuân Hòa", "thôn An Chánh"]
SUPPLEMENT_REASONS = ["Thiếu bản sao Giấy khai sinh", "Tờ khai chưa có chữ ký", "Giấy tờ đã hết hạn", "Thiếu trích đo địa chính"]
LATE_REASONS = ["Chờ kết quả xác minh từ cơ quan phối hợp", "Cán bộ thụ lý nghỉ ốm, chậm bàn giao", "Hồ sơ cần đo đạc lại ranh giới thửa đất",
                "Chờ ý kiến của lãnh đạo", "Hệ thống một cửa điện tử gặp sự cố"]
