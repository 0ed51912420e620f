"""Realistic evidence names for the demo, per criterion of TT17/TT18/TT19 (2018). Data only.

Each entry: (name, issuer kind, kind of record). ``{y}`` is a school year's first year (2019..2023,
the five years before the 2024-2025 assessment), ``{school}`` the school's name. Issuer kinds are
resolved by ``demo.py`` (the school, the district office, a professional group...). Record kinds:
``decision`` (has a number), ``plan``, ``minutes`` (a date, no number), ``book`` (a register kept
over years), ``list`` (a table, good as Excel), ``photo``, ``report``, ``certificate`` (expires).
"""

# Standard 1 is the same in the three regulations but for 1.5.
COMMON = {
    "1.1": [
        ("Chiến lược xây dựng và phát triển {school} giai đoạn 2020-2025, tầm nhìn đến năm 2030", "school", "plan"),
        ("Nghị quyết Hội nghị viên chức, người lao động năm học {y}-{y1}", "school", "minutes"),
        ("Biên bản họp Hội đồng trường thông qua chiến lược phát triển nhà trường", "council", "minutes"),
        ("Ảnh chụp bảng công khai sứ mạng, tầm nhìn, giá trị cốt lõi của nhà trường", "school", "photo"),
        ("Văn bản của Phòng GD&ĐT phê duyệt chiến lược phát triển nhà trường", "district", "decision"),
    ],
    "1.2": [
        ("Quyết định thành lập Hội đồng trường nhiệm kỳ 2019-2024", "district", "certificate"),
        ("Quy chế hoạt động của Hội đồng trường", "council", "decision"),
        ("Biên bản họp Hội đồng trường học kỳ I năm học {y}-{y1}", "council", "minutes"),
        ("Quyết định thành lập Hội đồng thi đua khen thưởng năm học {y}-{y1}", "school", "decision"),
        ("Quyết định thành lập Hội đồng tự đánh giá", "school", "decision"),
    ],
    "1.3": [
        ("Nghị quyết Chi bộ về nhiệm vụ năm học {y}-{y1}", "party", "minutes"),
        ("Báo cáo tổng kết công tác Công đoàn năm học {y}-{y1}", "union", "report"),
        ("Quyết định công nhận Chi bộ hoàn thành tốt nhiệm vụ năm {y1}", "party_higher", "decision"),
        ("Kế hoạch hoạt động của Đoàn Thanh niên/Liên đội năm học {y}-{y1}", "youth", "plan"),
        ("Giấy khen Công đoàn cơ sở vững mạnh năm học {y}-{y1}", "union_higher", "decision"),
    ],
    "1.4": [
        ("Quyết định bổ nhiệm Hiệu trưởng", "district_committee", "decision"),
        ("Quyết định thành lập các tổ chuyên môn và tổ văn phòng năm học {y}-{y1}", "school", "decision"),
        ("Kế hoạch hoạt động của tổ chuyên môn năm học {y}-{y1}", "group", "plan"),
        ("Biên bản sinh hoạt tổ chuyên môn tháng 10/{y}", "group", "minutes"),
        ("Sổ ghi biên bản sinh hoạt tổ văn phòng", "office", "book"),
    ],
    "1.6": [
        ("Quy chế chi tiêu nội bộ năm {y1}", "school", "decision"),
        ("Báo cáo công khai tài chính năm {y1}", "accounting", "report"),
        ("Sổ quản lý tài sản cố định", "accounting", "book"),
        ("Biên bản kiểm kê tài sản cuối năm {y}", "school", "minutes"),
        ("Sổ đăng bộ, sổ theo dõi công văn đi, đến", "office", "book"),
    ],
    "1.7": [
        ("Kế hoạch bồi dưỡng thường xuyên giáo viên năm học {y}-{y1}", "school", "plan"),
        ("Danh sách cán bộ, giáo viên, nhân viên năm học {y}-{y1}", "school", "list"),
        ("Biên bản đánh giá, xếp loại viên chức cuối năm học {y}-{y1}", "school", "minutes"),
        ("Quyết định phân công nhiệm vụ cán bộ, giáo viên năm học {y}-{y1}", "school", "decision"),
    ],
    "1.8": [
        ("Kế hoạch giáo dục nhà trường năm học {y}-{y1}", "school", "plan"),
        ("Kế hoạch kiểm tra nội bộ năm học {y}-{y1}", "school", "plan"),
        ("Biên bản kiểm tra hoạt động sư phạm giáo viên", "school", "minutes"),
        ("Báo cáo sơ kết học kỳ I năm học {y}-{y1}", "school", "report"),
    ],
    "1.9": [
        ("Quy chế thực hiện dân chủ trong hoạt động của nhà trường", "school", "decision"),
        ("Biên bản Hội nghị viên chức, người lao động năm học {y}-{y1}", "union", "minutes"),
        ("Sổ theo dõi tiếp công dân, giải quyết đơn thư", "school", "book"),
        ("Ảnh chụp bảng tin công khai theo Thông tư 36/2017/TT-BGDĐT", "school", "photo"),
    ],
    "1.10": [
        ("Kế hoạch đảm bảo an ninh trật tự, an toàn trường học năm học {y}-{y1}", "school", "plan"),
        ("Phương án phòng cháy, chữa cháy và cứu nạn, cứu hộ", "school", "plan"),
        ("Biên bản diễn tập phòng cháy, chữa cháy năm {y1}", "police", "minutes"),
        ("Kế hoạch phòng, chống bạo lực học đường năm học {y}-{y1}", "school", "plan"),
        ("Giấy chứng nhận thẩm duyệt thiết kế về phòng cháy và chữa cháy", "police", "certificate"),
    ],
}

PRIMARY = {
    "1.5": [
        ("Quyết định phân công giáo viên chủ nhiệm các lớp năm học {y}-{y1}", "school", "decision"),
        ("Danh sách học sinh các khối lớp năm học {y}-{y1}", "school", "list"),
        ("Kế hoạch hoạt động của khối trưởng năm học {y}-{y1}", "group", "plan"),
        ("Biên bản họp khối lớp 3 tháng 9/{y}", "group", "minutes"),
    ],
    "2.1": [
        ("Bằng tốt nghiệp và chứng chỉ bồi dưỡng quản lý giáo dục của Hiệu trưởng", "university", "certificate"),
        ("Phiếu đánh giá Hiệu trưởng theo chuẩn năm học {y}-{y1}", "district", "report"),
        ("Giấy chứng nhận hoàn thành chương trình bồi dưỡng cán bộ quản lý", "district", "decision"),
        ("Danh sách cán bộ quản lý và trình độ đào tạo", "school", "list"),
    ],
    "2.2": [
        ("Danh sách giáo viên và trình độ đào tạo năm học {y}-{y1}", "school", "list"),
        ("Kết quả đánh giá giáo viên theo chuẩn nghề nghiệp năm học {y}-{y1}", "school", "report"),
        ("Quyết định công nhận giáo viên dạy giỏi cấp quận năm học {y}-{y1}", "district", "decision"),
        ("Hồ sơ bồi dưỡng thường xuyên của giáo viên", "group", "book"),
    ],
    "2.3": [
        ("Danh sách nhân viên và văn bằng chuyên môn", "school", "list"),
        ("Quyết định phân công nhiệm vụ nhân viên năm học {y}-{y1}", "school", "decision"),
        ("Chứng chỉ nghiệp vụ thư viện của nhân viên thư viện", "university", "certificate"),
    ],
    "2.4": [
        ("Sổ đăng bộ học sinh", "school", "book"),
        ("Danh sách học sinh được khen thưởng năm học {y}-{y1}", "school", "list"),
        ("Biên bản xét hoàn thành chương trình tiểu học năm học {y}-{y1}", "school", "minutes"),
        ("Nội quy học sinh", "school", "decision"),
    ],
    "3.1": [
        ("Giấy chứng nhận quyền sử dụng đất", "city", "decision"),
        ("Sơ đồ tổng thể khuôn viên nhà trường", "school", "photo"),
        ("Ảnh chụp sân chơi, sân tập thể dục thể thao", "school", "photo"),
        ("Biên bản kiểm tra cơ sở vật chất đầu năm học {y}-{y1}", "school", "minutes"),
    ],
    "3.2": [
        ("Danh mục phòng học và diện tích", "school", "list"),
        ("Biên bản bàn giao công trình cải tạo phòng học năm {y1}", "district_committee", "minutes"),
        ("Ảnh chụp phòng học và bảng chống lóa", "school", "photo"),
        ("Sổ theo dõi sử dụng phòng học", "school", "book"),
    ],
    "3.3": [
        ("Danh mục khối phòng phục vụ học tập và hành chính - quản trị", "school", "list"),
        ("Ảnh chụp phòng thư viện, phòng tin học, phòng y tế", "school", "photo"),
        ("Biên bản kiểm kê trang thiết bị khối phòng hành chính năm {y1}", "school", "minutes"),
    ],
    "3.4": [
        ("Hợp đồng cung cấp nước sạch", "company", "decision"),
        ("Phiếu kết quả xét nghiệm mẫu nước năm {y1}", "health", "certificate"),
        ("Ảnh chụp khu vệ sinh học sinh và giáo viên", "school", "photo"),
        ("Hợp đồng thu gom rác thải năm {y1}", "company", "decision"),
    ],
    "3.5": [
        ("Sổ theo dõi thiết bị dạy học", "equipment", "book"),
        ("Danh mục thiết bị dạy học tối thiểu hiện có", "equipment", "list"),
        ("Biên bản kiểm kê thiết bị dạy học cuối năm học {y}-{y1}", "school", "minutes"),
        ("Sổ mượn, trả thiết bị dạy học của giáo viên", "equipment", "book"),
    ],
    "3.6": [
        ("Quyết định công nhận thư viện đạt chuẩn", "district", "certificate"),
        ("Sổ đăng ký tổng quát sách thư viện", "library", "book"),
        ("Kế hoạch hoạt động thư viện năm học {y}-{y1}", "library", "plan"),
        ("Ảnh chụp hoạt động đọc sách tại thư viện", "library", "photo"),
    ],
    "4.1": [
        ("Danh sách Ban đại diện cha mẹ học sinh năm học {y}-{y1}", "parents", "list"),
        ("Biên bản họp Ban đại diện cha mẹ học sinh đầu năm học {y}-{y1}", "parents", "minutes"),
        ("Kế hoạch hoạt động của Ban đại diện cha mẹ học sinh năm học {y}-{y1}", "parents", "plan"),
        ("Sổ liên lạc giữa nhà trường và gia đình", "school", "book"),
    ],
    "4.2": [
        ("Tờ trình đề nghị UBND quận đầu tư cơ sở vật chất năm {y1}", "school", "decision"),
        ("Biên bản phối hợp với Công an phường về an ninh trật tự trường học", "police", "minutes"),
        ("Báo cáo công tác xã hội hóa giáo dục năm học {y}-{y1}", "school", "report"),
        ("Ảnh chụp hoạt động tri ân, đền ơn đáp nghĩa tại địa phương", "school", "photo"),
    ],
    "5.1": [
        ("Kế hoạch giáo dục nhà trường năm học {y}-{y1} theo Chương trình giáo dục phổ thông 2018", "school", "plan"),
        ("Thời khóa biểu năm học {y}-{y1}", "school", "list"),
        ("Biên bản họp Hội đồng sư phạm thông qua kế hoạch giáo dục", "school", "minutes"),
        ("Văn bản của Phòng GD&ĐT phê duyệt kế hoạch giáo dục", "district", "decision"),
    ],
    "5.2": [
        ("Kế hoạch bài dạy mẫu của giáo viên các khối lớp", "group", "plan"),
        ("Biên bản dự giờ, thăm lớp", "group", "minutes"),
        ("Báo cáo kết quả thực hiện chương trình năm học {y}-{y1}", "school", "report"),
        ("Sổ theo dõi và đánh giá học sinh lớp 4A", "teacher", "book"),
    ],
    "5.3": [
        ("Kế hoạch tổ chức hoạt động trải nghiệm năm học {y}-{y1}", "school", "plan"),
        ("Ảnh chụp hội khỏe Phù Đổng cấp trường năm {y1}", "youth", "photo"),
        ("Kế hoạch giáo dục kỹ năng sống cho học sinh", "school", "plan"),
        ("Báo cáo tổng kết hoạt động ngoài giờ lên lớp", "school", "report"),
    ],
    "5.4": [
        ("Quyết định công nhận phường đạt chuẩn phổ cập giáo dục tiểu học mức độ 3 năm {y1}", "district_committee", "certificate"),
        ("Sổ theo dõi phổ cập giáo dục, xóa mù chữ", "school", "book"),
        ("Báo cáo điều tra phổ cập giáo dục tiểu học năm {y1}", "school", "report"),
    ],
    "5.5": [
        ("Bảng tổng hợp kết quả đánh giá giáo dục học sinh cuối năm học {y}-{y1}", "school", "list"),
        ("Danh sách học sinh hoàn thành chương trình tiểu học năm học {y}-{y1}", "school", "list"),
        ("Báo cáo thống kê chất lượng giáo dục 5 năm gần nhất", "school", "report"),
        ("Giấy khen học sinh đạt giải cấp quận năm học {y}-{y1}", "district", "decision"),
    ],
}

SECONDARY = {
    **{k: v for k, v in PRIMARY.items() if k in {"2.1", "2.2", "2.3", "3.1", "3.4", "3.5", "3.6", "4.1", "4.2"}},
    "1.5": [
        ("Quyết định phân công giáo viên chủ nhiệm các lớp năm học {y}-{y1}", "school", "decision"),
        ("Danh sách học sinh các khối lớp 6, 7, 8, 9 năm học {y}-{y1}", "school", "list"),
        ("Quyết định thành lập Ban cán sự các lớp năm học {y}-{y1}", "school", "decision"),
        ("Sổ chủ nhiệm lớp 8A", "teacher", "book"),
    ],
    "2.4": [
        ("Sổ đăng bộ học sinh", "school", "book"),
        ("Nội quy học sinh và quy tắc ứng xử trong nhà trường", "school", "decision"),
        ("Danh sách học sinh được khen thưởng năm học {y}-{y1}", "school", "list"),
        ("Biên bản xét công nhận tốt nghiệp THCS năm học {y}-{y1}", "school", "minutes"),
    ],
    "3.2": [
        ("Danh mục phòng học, phòng học bộ môn và diện tích", "school", "list"),
        ("Ảnh chụp phòng học bộ môn Vật lý, Hóa học, Sinh học", "school", "photo"),
        ("Nội quy phòng học bộ môn", "school", "decision"),
        ("Sổ theo dõi sử dụng phòng học bộ môn", "equipment", "book"),
    ],
    "3.3": [
        ("Danh mục khối phòng hành chính - quản trị", "school", "list"),
        ("Ảnh chụp phòng Hiệu trưởng, phòng họp, phòng y tế", "school", "photo"),
        ("Biên bản kiểm kê trang thiết bị khối hành chính năm {y1}", "school", "minutes"),
    ],
    "5.1": [
        ("Kế hoạch giáo dục nhà trường năm học {y}-{y1} theo Chương trình giáo dục phổ thông 2018", "school", "plan"),
        ("Kế hoạch dạy học các môn học của tổ chuyên môn năm học {y}-{y1}", "group", "plan"),
        ("Thời khóa biểu năm học {y}-{y1}", "school", "list"),
        ("Biên bản dự giờ, thăm lớp của tổ Toán - Tin", "group", "minutes"),
    ],
    "5.2": [
        ("Kế hoạch bồi dưỡng học sinh giỏi năm học {y}-{y1}", "school", "plan"),
        ("Kế hoạch phụ đạo học sinh yếu, kém năm học {y}-{y1}", "school", "plan"),
        ("Danh sách học sinh có hoàn cảnh khó khăn được hỗ trợ năm học {y}-{y1}", "school", "list"),
        ("Quyết định công nhận học sinh giỏi cấp quận năm học {y}-{y1}", "district", "decision"),
    ],
    "5.3": [
        ("Kế hoạch thực hiện nội dung giáo dục địa phương Hà Nội năm học {y}-{y1}", "school", "plan"),
        ("Tài liệu giáo dục địa phương thành phố Hà Nội lớp 6", "city_department", "decision"),
        ("Biên bản sinh hoạt chuyên đề giáo dục địa phương", "group", "minutes"),
    ],
    "5.4": [
        ("Kế hoạch hoạt động trải nghiệm, hướng nghiệp năm học {y}-{y1}", "school", "plan"),
        ("Ảnh chụp buổi tư vấn hướng nghiệp cho học sinh lớp 9", "school", "photo"),
        ("Báo cáo kết quả phân luồng học sinh sau tốt nghiệp THCS năm học {y}-{y1}", "school", "report"),
        ("Danh sách học sinh tham gia câu lạc bộ năm học {y}-{y1}", "youth", "list"),
    ],
    "5.5": [
        ("Kế hoạch giáo dục kỹ năng sống cho học sinh năm học {y}-{y1}", "school", "plan"),
        ("Ảnh chụp hoạt động ngoại khóa kỹ năng phòng tránh đuối nước", "youth", "photo"),
        ("Báo cáo tổng kết công tác giáo dục kỹ năng sống năm học {y}-{y1}", "school", "report"),
    ],
    "5.6": [
        ("Bảng tổng hợp kết quả học tập và rèn luyện của học sinh năm học {y}-{y1}", "school", "list"),
        ("Báo cáo thống kê chất lượng giáo dục 5 năm gần nhất", "school", "report"),
        ("Danh sách học sinh tốt nghiệp THCS năm học {y}-{y1}", "school", "list"),
        ("Quyết định khen thưởng học sinh đạt giải cấp thành phố năm học {y}-{y1}", "city_department", "decision"),
    ],
}

PRESCHOOL = {
    "1.5": [
        ("Quyết định phân công giáo viên phụ trách các nhóm trẻ, lớp mẫu giáo năm học {y}-{y1}", "school", "decision"),
        ("Danh sách trẻ theo nhóm, lớp năm học {y}-{y1}", "school", "list"),
        ("Sổ theo dõi trẻ đến nhóm, lớp", "teacher", "book"),
        ("Kế hoạch tuyển sinh năm học {y}-{y1}", "school", "plan"),
    ],
    "2.1": PRIMARY["2.1"],
    "2.2": [
        ("Danh sách giáo viên và trình độ đào tạo năm học {y}-{y1}", "school", "list"),
        ("Kết quả đánh giá giáo viên mầm non theo chuẩn nghề nghiệp năm học {y}-{y1}", "school", "report"),
        ("Quyết định công nhận giáo viên dạy giỏi cấp quận năm học {y}-{y1}", "district", "decision"),
        ("Hồ sơ bồi dưỡng thường xuyên của giáo viên", "group", "book"),
    ],
    "2.3": [
        ("Danh sách nhân viên nấu ăn, kế toán, y tế và văn bằng chuyên môn", "school", "list"),
        ("Giấy xác nhận kiến thức an toàn thực phẩm của nhân viên nấu ăn", "health", "certificate"),
        ("Quyết định phân công nhiệm vụ nhân viên năm học {y}-{y1}", "school", "decision"),
    ],
    "3.1": [
        ("Giấy chứng nhận quyền sử dụng đất", "city", "decision"),
        ("Sơ đồ tổng thể khuôn viên, sân vườn của nhà trường", "school", "photo"),
        ("Ảnh chụp khu vui chơi, vườn cổ tích, góc thiên nhiên", "school", "photo"),
        ("Biên bản kiểm tra cơ sở vật chất đầu năm học {y}-{y1}", "school", "minutes"),
    ],
    "3.2": [
        ("Danh mục phòng nhóm trẻ, lớp mẫu giáo và diện tích", "school", "list"),
        ("Ảnh chụp phòng sinh hoạt chung, phòng ngủ của lớp mẫu giáo lớn", "school", "photo"),
        ("Ảnh chụp phòng giáo dục thể chất, nghệ thuật", "school", "photo"),
    ],
    "3.3": [
        ("Danh mục khối phòng hành chính - quản trị", "school", "list"),
        ("Ảnh chụp văn phòng, phòng Hiệu trưởng, phòng y tế", "school", "photo"),
        ("Biên bản kiểm kê trang thiết bị khối hành chính năm {y1}", "school", "minutes"),
    ],
    "3.4": [
        ("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "health", "certificate"),
        ("Sổ kiểm thực ba bước và lưu mẫu thức ăn", "kitchen", "book"),
        ("Hợp đồng cung cấp thực phẩm năm học {y}-{y1}", "company", "decision"),
        ("Ảnh chụp bếp ăn một chiều", "kitchen", "photo"),
    ],
    "3.5": [
        ("Sổ theo dõi thiết bị, đồ dùng, đồ chơi", "equipment", "book"),
        ("Danh mục đồ dùng, đồ chơi, thiết bị dạy học tối thiểu hiện có", "equipment", "list"),
        ("Biên bản kiểm kê đồ dùng, đồ chơi cuối năm học {y}-{y1}", "school", "minutes"),
        ("Ảnh chụp đồ chơi tự làm của giáo viên", "teacher", "photo"),
    ],
    "3.6": [
        ("Hợp đồng cung cấp nước sạch", "company", "decision"),
        ("Phiếu kết quả xét nghiệm mẫu nước năm {y1}", "health", "certificate"),
        ("Ảnh chụp khu vệ sinh của trẻ và giáo viên", "school", "photo"),
    ],
    "4.1": [
        ("Danh sách Ban đại diện cha mẹ trẻ năm học {y}-{y1}", "parents", "list"),
        ("Biên bản họp Ban đại diện cha mẹ trẻ đầu năm học {y}-{y1}", "parents", "minutes"),
        ("Kế hoạch hoạt động của Ban đại diện cha mẹ trẻ năm học {y}-{y1}", "parents", "plan"),
        ("Ảnh chụp góc tuyên truyền với cha mẹ trẻ", "school", "photo"),
    ],
    "4.2": PRIMARY["4.2"],
    "5.1": [
        ("Kế hoạch thực hiện Chương trình giáo dục mầm non năm học {y}-{y1}", "school", "plan"),
        ("Kế hoạch giáo dục theo chủ đề của lớp mẫu giáo 5-6 tuổi", "teacher", "plan"),
        ("Biên bản kiểm tra thực hiện chương trình giáo dục mầm non", "school", "minutes"),
        ("Báo cáo kết quả thực hiện chương trình năm học {y}-{y1}", "school", "report"),
    ],
    "5.2": [
        ("Thực đơn và khẩu phần ăn của trẻ theo mùa", "kitchen", "list"),
        ("Sổ theo dõi sức khỏe và biểu đồ tăng trưởng của trẻ", "health", "book"),
        ("Kế hoạch chăm sóc, nuôi dưỡng trẻ năm học {y}-{y1}", "school", "plan"),
        ("Ảnh chụp giờ ăn, giờ ngủ của trẻ", "teacher", "photo"),
    ],
    "5.3": [
        ("Bảng tổng hợp kết quả cân, đo trẻ năm học {y}-{y1}", "health", "list"),
        ("Báo cáo tỷ lệ trẻ suy dinh dưỡng, thừa cân, béo phì năm học {y}-{y1}", "health", "report"),
        ("Hợp đồng khám sức khỏe định kỳ cho trẻ năm học {y}-{y1}", "health", "decision"),
    ],
    "5.4": [
        ("Bảng tổng hợp kết quả đánh giá sự phát triển của trẻ 5 tuổi năm học {y}-{y1}", "school", "list"),
        ("Báo cáo kết quả phổ cập giáo dục mầm non cho trẻ 5 tuổi năm {y1}", "school", "report"),
        ("Ảnh chụp trẻ tham gia hội thi bé khỏe, bé ngoan", "school", "photo"),
    ],
}

BY_LEVEL = {
    "mn": {**COMMON, **PRESCHOOL},
    "th": {**COMMON, **PRIMARY},
    "thcs": {**COMMON, **SECONDARY},
}
