"""The case fields a portal file's columns can hold, the words the writer heads them with, and the header words
(synonyms, and words that rule a field out) `columns` matches a file's headers by."""

from __future__ import annotations

FIELDS: tuple[str, ...] = (
    "code", "applicant", "citizen_id", "phone", "address", "email", "procedure_code", "procedure_name",
    "field", "unit", "channel", "status", "received_at", "due_at", "new_due_at", "finished_at", "returned_at",
    "owner", "owner_id", "owner_address",
)  # fmt: skip
REQUIRED_FIELDS: tuple[str, ...] = ("code", "received_at")
DATE_FIELDS = frozenset({"received_at", "due_at", "new_due_at", "finished_at", "returned_at"})
# The owner's columns when the file names the owner apart from the person who submitted; in a file with only
# one person ("Chủ hồ sơ" alone, as most portal lists have) that person is the applicant (`match_columns`).
OWNER_FIELDS: dict[str, str] = {"owner": "applicant", "owner_id": "citizen_id", "owner_address": "address"}

# The header words the writer uses; the first synonym of each field.
FIELD_LABELS: dict[str, str] = {
    "code": "Mã hồ sơ",
    "applicant": "Người nộp",
    "citizen_id": "Số định danh",
    "phone": "Điện thoại",
    "address": "Địa chỉ",
    "email": "Email",
    "procedure_code": "Mã thủ tục",
    "procedure_name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "unit": "Đơn vị",
    "channel": "Kênh nộp",
    "status": "Trạng thái",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "new_due_at": "Ngày hẹn lại",
    "finished_at": "Ngày có kết quả",
    "returned_at": "Ngày trả kết quả",
    "owner": "Chủ hồ sơ",
    "owner_id": "Số định danh chủ hồ sơ",
    "owner_address": "Địa chỉ chủ hồ sơ",
}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "Số hồ sơ", "Mã HS", "Số biên nhận", "Mã biên nhận"),
    "applicant": ("Người nộp", "Người nộp hồ sơ", "Tên công dân", "Họ tên", "Họ và tên",
                  "Tên người nộp", "Người đứng tên", "Tổ chức, cá nhân", "Công dân", "Tên cá nhân, tổ chức"),
    "citizen_id": ("CCCD", "Số định danh", "CMND", "Căn cước", "Căn cước công dân", "Số giấy tờ", "Định danh cá nhân"),
    "phone": ("Điện thoại", "SĐT", "Số điện thoại", "Di động", "ĐT", "Điện thoại người nộp", "Số điện thoại người nộp",
              "Điện thoại liên hệ"),
    "address": ("Địa chỉ", "Nơi cư trú", "Địa chỉ liên hệ"),
    "email": ("Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Địa chỉ thư điện tử"),
    "procedure_code": ("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính"),
    "procedure_name": ("Tên thủ tục", "Thủ tục", "Tên TTHC", "Tên thủ tục hành chính", "Thủ tục hành chính"),
    "field": ("Lĩnh vực", "Tên lĩnh vực"),
    "unit": ("Đơn vị", "Đơn vị xử lý", "Cơ quan xử lý", "Cơ quan giải quyết", "Phòng ban", "Đơn vị tiếp nhận",
             "Cơ quan chủ trì", "Cơ quan chủ trì giải quyết"),
    "channel": ("Kênh", "Kênh nộp", "Hình thức nộp", "Hình thức tiếp nhận", "Hình thức", "Nguồn"),
    "status": ("Trạng thái", "Tình trạng", "Trạng thái hồ sơ", "Tình trạng xử lý"),
    # ("Ngày giờ tiếp nhận", "Thời điểm tiếp nhận" … are "Ngày tiếp nhận": see the module docstring)
    "received_at": ("Ngày tiếp nhận", "Ngày nhận", "Ngày nộp", "Thời gian tiếp nhận", "Ngày nhận hồ sơ"),
    "due_at": ("Ngày hẹn trả", "Hạn xử lý", "Ngày hẹn", "Hạn giải quyết", "Hạn trả kết quả", "Ngày hẹn trả kết quả",
               "Hạn trả", "Ngày trả kết quả dự kiến", "Ngày dự kiến trả kết quả", "Ngày trả kết quả theo hẹn"),
    "finished_at": ("Ngày có kết quả", "Ngày kết thúc xử lý", "Ngày kết thúc", "Ngày hoàn thành", "Ngày xử lý xong",
                    "Ngày nhận kết quả", "Nhận kết quả từ cơ quan giải quyết"),
    "returned_at": ("Ngày trả", "Ngày trả kết quả", "Thời gian trả kết quả", "Ngày trả kq"),
    # the apology's new appointment (DOMAIN §4: both dates are kept); longer than the due date's words it holds
    "new_due_at": ("Ngày hẹn lại", "Hẹn lại", "Ngày hẹn trả mới", "Hẹn trả mới", "Ngày hẹn mới", "Hạn xử lý mới",
                   "Ngày hẹn trả kết quả mới",
                   "Hạn giải quyết mới", "Gia hạn đến", "Ngày gia hạn", "Hạn gia hạn"),
    "owner": ("Chủ hồ sơ", "Tên chủ hồ sơ", "Họ tên chủ hồ sơ", "Chủ sở hữu"),
    # longer than "Chủ hồ sơ" and than the ID and address words, so each wins its own column
    "owner_id": ("Số định danh chủ hồ sơ", "CCCD chủ hồ sơ", "CMND chủ hồ sơ", "Căn cước chủ hồ sơ",
                 "Số giấy tờ chủ hồ sơ", "Định danh chủ hồ sơ"),
    "owner_address": ("Địa chỉ chủ hồ sơ", "Nơi cư trú chủ hồ sơ"),
}  # fmt: skip
# Matched only as the whole header (or the whole sub-header of a two-row header): see the module docstring.
BARE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "received_at": ("Tiếp nhận", "Nhận hồ sơ"),
    "due_at": ("Hẹn trả", "Hẹn trả kết quả"),
    "finished_at": ("Nhận kết quả", "Có kết quả"),
    "returned_at": ("Trả kết quả",),
}
# Headers that name no field: two fields in one column (Mẫu 06: the address, then the phone number; as an
# address each cell would add a phone number to the address held, as a phone it is too long), and a number of
# days where a date would be read.
TWO_FIELDS: tuple[str, ...] = ("Địa chỉ, số điện thoại", "Địa chỉ, điện thoại",
                               # a number of days, not a date
                               "Thời hạn giải quyết (ngày)", "Số ngày giải quyết", "Hạn giải quyết còn lại",
                               "Hạn xử lý còn lại", "Thời gian còn lại")
# Header words that rule a field out unless the synonym that matched holds them.
EXCLUDING: dict[str, tuple[str, ...]] = {
    # about the result, the papers asked for later, or a time only foreseen: never the receipt nor the due date
    "received_at": ("kết quả", "bổ sung"),
    "due_at": ("kết quả", "bổ sung"),
    "returned_at": ("dự kiến", "theo hẹn"),  # "Ngày trả kết quả dự kiến / theo hẹn" is the appointment
    # another thing of the same name: its code, the ID card's place of issue, how the result goes back, a payment
    "unit": ("mã",),
    "field": ("mã",),
    "citizen_id": ("nơi cấp",),
    "channel": ("trả kết quả", "nhận kết quả"),
    "status": ("thanh toán",),
}
