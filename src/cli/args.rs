//! The command line's arguments: every command, its options and their
//! help (Vietnamese — English).

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "baocao",
    version,
    about = "Điền, tổng hợp và in báo cáo theo đề cương — Fill in, merge and print review reports",
    long_about = "Không có lệnh con: mở giao diện điền báo cáo.\nWith no subcommand: opens the terminal UI."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Tệp báo cáo (mặc định: thư mục dữ liệu của người dùng) — the report file
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Ngôn ngữ: vi hoặc en — language
    #[arg(long, global = true, value_name = "vi|en")]
    pub lang: Option<String>,
    /// Dùng tệp đề cương này thay cho đề cương có sẵn — use this outline file
    #[arg(long, global = true, value_name = "FILE")]
    pub outline: Option<PathBuf>,
    /// In JSON cho chương trình khác (cả lỗi: {"error": {"code", "message"}}) — machine-readable output, errors too
    #[arg(long, global = true)]
    pub json: bool,
    /// Dấu và khung bằng ký tự ASCII (màn hình console trần; tự bật khi TERM=linux) — ASCII marks and borders
    #[arg(long, global = true)]
    pub ascii: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tạo báo cáo mới cho một đơn vị — create the report
    Init(InitArgs),
    /// Tiến độ, mục chưa xong, trường sai — progress and invalid fields
    Status,
    /// Điền câu trả lời từ tệp JSON (tất cả hoặc không gì cả) — fill answers from JSON, all or nothing
    Fill {
        /// Tệp câu trả lời {"MÃ_MỤC": {"MÃ_TRƯỜNG": giá trị}} — the answers file
        #[arg(long, value_name = "ANSWERS.json")]
        from: PathBuf,
    },
    /// Khôi phục từ bản sao lưu — restore from a backup
    Restore {
        /// Liệt kê các bản sao lưu — list the backups
        #[arg(long)]
        list: bool,
        /// Tên bản sao lưu (mặc định: bản tốt gần nhất) — backup name (default: newest good)
        backup: Option<String>,
    },
    /// Kiểm tra, xem, tạo nháp hoặc in trống đề cương — check, show, draft or print an outline
    Outline {
        #[command(subcommand)]
        command: OutlineCommand,
    },
    /// Xuất gói báo cáo gửi cấp trên — write the package to send upward
    Export {
        /// Thư mục hoặc tên tệp (mặc định: thư mục hiện tại) — folder or file (default: current folder)
        #[arg(long, value_name = "DIR|FILE")]
        out: Option<PathBuf>,
    },
    /// Ghi nhận thông qua tập thể, chốt báo cáo chính thức — record the collective approval, mark final
    Finalize {
        /// Tập thể thông qua, ví dụ "Ban Thường vụ Đảng ủy xã" — the approving body
        #[arg(long, value_name = "BODY")]
        approved_by: String,
        /// Ngày thông qua dd/mm/yyyy — date of approval
        #[arg(long, value_name = "DD/MM/YYYY")]
        approved_on: String,
        /// Thông qua khi còn trường bắt buộc chưa điền (cần --reason) — approve with required answers missing (needs --reason)
        #[arg(long, requires = "reason")]
        incomplete: bool,
        /// Lý do thông qua khi chưa đủ, được ghi và in ra — why, recorded and printed
        #[arg(long, value_name = "TEXT", requires = "incomplete")]
        reason: Option<String>,
    },
    /// Trở lại dự thảo để sửa; lần thông qua cũ được giữ trong lịch sử — back to draft, the approval kept in the history
    Reopen {
        /// Lý do mở lại — why
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Kiểm tra gói: mã kiểm tra, định dạng, đề cương — check package files
    Verify {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Dấu vân tay khóa của đơn vị, để đọc cho cấp trên qua điện thoại — the unit's key fingerprint, to read to the parent on the phone
    Keys {
        /// Ghi khóa công khai ra tệp JSON (gửi cấp trên) — write the public key to a JSON file
        #[arg(long, value_name = "FILE")]
        export: Option<PathBuf>,
    },
    /// Danh sách đơn vị phải nộp — the units expected to report here
    Children {
        #[command(subcommand)]
        command: ChildrenCommand,
    },
    /// Nhận gói của đơn vị cấp dưới — import packages from units below
    Import {
        /// Tệp gói .bcpkg, hoặc thư mục: mọi gói trong đó (không vào thư mục con) — package files, or folders: every package in them (not in sub-folders)
        #[arg(required = true, value_name = "FILE|FOLDER")]
        files: Vec<PathBuf>,
        /// Ngày nhận thực tế dd/mm/yyyy (bản giấy, nộp muộn): tính hạn theo ngày này thay cho ngày xuất gói — the day actually delivered, counted for the deadline instead of the export day
        #[arg(long, value_name = "DD/MM/YYYY")]
        received_on: Option<String>,
        /// Ghi biên nhận có chữ ký cho từng đơn vị gửi vào thư mục này (thường là USB) — write a signed receipt per sending unit into this folder
        #[arg(long, value_name = "DIR")]
        receipts: Option<PathBuf>,
    },
    /// Xuất văn bản báo cáo hoặc số liệu — render the report or its figures
    Render {
        /// docx, md, txt hoặc csv
        #[arg(long, value_name = "FORMAT")]
        format: RenderFormat,
        /// Tệp ra (mặc định: theo tên đơn vị trong thư mục hiện tại; "-" là màn hình) — output file
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Tìm chữ trong bài của đơn vị và của cấp dưới (không phân biệt dấu) — search answers
    Search {
        /// Chữ cần tìm, có dấu hay không dấu đều được — the text to find
        query: String,
    },
    /// Chuyển văn bản mã TCVN3 (ABC) hoặc VNI-Windows sang Unicode — convert legacy text
    Convert {
        /// tcvn3 hoặc vni — the legacy encoding
        #[arg(long, value_name = "tcvn3|vni")]
        from: String,
        /// Tệp vào (mặc định: đầu vào chuẩn) — input file (default: stdin)
        file: Option<PathBuf>,
    },
    /// Kiểu gõ và cách bỏ dấu được ghi nhớ — remembered input method and tone style
    Settings {
        /// telex, vni hoặc off — the built-in input method
        #[arg(long, value_name = "telex|vni|off")]
        input_method: Option<String>,
        /// old (hoà, thuý — mặc định) hoặc new (hòa, thúy) — tone placement
        #[arg(long, value_name = "old|new")]
        tone_style: Option<String>,
    },
    /// Số ghi tay thay số tổng hợp từ cấp dưới — figures set by hand over the merged ones
    Override {
        #[command(subcommand)]
        command: OverrideCommand,
    },
    /// Tạo bộ dữ liệu mẫu để dùng thử — create a sample district to try
    Demo {
        /// Thư mục (mặc định: ./baocao-demo) — folder
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChildrenCommand {
    /// Thêm một đơn vị — add a unit
    Add {
        code: String,
        name: String,
        #[arg(long = "type", value_name = "TYPE")]
        unit_type: Option<String>,
        /// Hạn nộp riêng dd/mm/yyyy (mặc định: theo kế hoạch) — own deadline
        #[arg(long, value_name = "DD/MM/YYYY")]
        deadline: Option<String>,
        /// Dấu vân tay khóa của đơn vị, đọc qua điện thoại: ghi nhận trước gói đầu tiên — the unit's key fingerprint, read on the phone: pinned before its first package
        #[arg(long, value_name = "XXXX-XXXX-XXXX-XXXX-XXXX")]
        fingerprint: Option<String>,
    },
    /// Thêm từ tệp CSV: mã,tên[,loại[,hạn[,dấu vân tay]]], ngăn bởi dấu , hoặc ; (như Excel lưu) — add from CSV: code,name[,type[,deadline[,fingerprint]]], separated by , or ;
    Import {
        file: PathBuf,
        /// Bảng mã của tệp: utf-8 hoặc windows-1258 (mặc định: tự nhận ra) — the file's encoding (default: detected)
        #[arg(long, value_name = "utf-8|windows-1258")]
        encoding: Option<String>,
    },
    /// Liệt kê, kèm tình trạng nộp — list, with who sent
    List,
    /// Nhận đơn vị đang chờ xác nhận: gói của đơn vị được tính — accept a unit awaiting confirmation
    Accept { code: String },
    /// Bỏ đơn vị khỏi danh sách cùng các gói đã nhận — remove a unit and what it sent
    Remove { code: String },
    /// Quên các lần gửi đã nhận của đơn vị (giữ trong danh sách) — forget a unit's received revisions
    Reset { code: String },
    /// Ghi nhận khóa mới của đơn vị sau khi gọi điện đọc dấu vân tay với đơn vị — pin the unit's new key after reading its fingerprint with it on the phone
    Rekey {
        code: String,
        /// Dấu vân tay mới, đơn vị đọc từ lệnh baocao keys — the new fingerprint, as the unit reads it from baocao keys
        #[arg(long, value_name = "XXXX-XXXX-XXXX-XXXX-XXXX")]
        fingerprint: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OverrideCommand {
    /// Ghi tay một số thay số tổng hợp, kèm lý do — set a figure by hand, with why
    Set {
        /// Mã mục, ví dụ A.I.1 — item id
        item: String,
        /// Mã trường — field id
        field: String,
        /// Số, viết kiểu Việt Nam (1.234) — the figure
        value: String,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Giữ số ghi tay dù số tổng hợp đã đổi — keep it over the merged figure of now
    Confirm {
        item: String,
        field: String,
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Bỏ số ghi tay, dùng lại số tổng hợp — back to the merged figure
    Clear { item: String, field: String },
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderFormat {
    Docx,
    Md,
    Txt,
    Csv,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Loại đơn vị theo kế hoạch (xa, huyen, tinh, …) — unit type id
    #[arg(long = "type", value_name = "TYPE")]
    pub unit_type: String,
    /// Mã đơn vị — unit code
    #[arg(long)]
    pub code: String,
    /// Tên đơn vị — unit name
    #[arg(long)]
    pub name: String,
    /// Mã đơn vị cấp trên — parent unit code
    #[arg(long)]
    pub parent_code: Option<String>,
    /// Tên đơn vị cấp trên — parent unit name
    #[arg(long)]
    pub parent_name: Option<String>,
    /// Tạo lại dù đã có báo cáo (bản cũ được sao lưu) — overwrite, backing up first
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum OutlineCommand {
    /// Kiểm tra một tệp đề cương, liệt kê mọi lỗi — validate an outline file
    Check {
        /// Tệp đề cương (.json) cần kiểm tra — the outline file to check
        file: PathBuf,
    },
    /// In cây đề cương với mã mục, mã trường, loại — print the outline tree
    Show,
    /// Soạn, sửa đề cương trên màn hình (tệp chưa có thì bắt đầu đề cương mới) — edit an outline in the terminal
    Edit {
        /// Tệp đề cương (.json) — the outline file (a new one when it does not exist)
        file: PathBuf,
        /// Bắt đầu từ đề cương 2014 có sẵn (tệp phải chưa có) — start a new file from the embedded 2014 outline
        #[arg(long)]
        from_embedded: bool,
    },
    /// Tạo đề cương nháp từ văn bản kế hoạch (.txt, .md, .docx) — draft an outline from the plan's document
    New {
        /// Văn bản kế hoạch hoặc đề cương: .txt, .md hoặc .docx — the plan or outline document
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
        /// Tệp đề cương ghi ra (mặc định: cùng tên, đuôi .json) — the outline file written (default: same name, .json)
        #[arg(long, value_name = "OUTLINE.json")]
        out: Option<PathBuf>,
        /// Ghi đè tệp đã có — overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// In đề cương thành văn bản trống để họp thông qua, để đơn vị điền tay — print the outline as a blank document
    Blank {
        /// docx hoặc md
        #[arg(long, value_name = "FORMAT")]
        format: BlankFormat,
        /// Tệp đề cương (.json) — the outline file
        file: PathBuf,
        /// Tệp ra — output file
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlankFormat {
    Docx,
    Md,
}
