//! The hostile import corpus, generated (no binary blobs in the repository):
//! each case writes its files into a fresh folder and says what the import
//! must print and how much memory and time it may take. The issue's figures
//! before the caps are in the comments.

#![allow(dead_code)]

use rust_xlsxwriter::Workbook;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One hostile input and what must come of it.
pub struct Case {
    pub name: &'static str,
    /// What to pass to `jixiao import`.
    pub paths: Vec<PathBuf>,
    /// Each must appear in the output.
    pub expect: Vec<String>,
    /// Peak resident memory the import may reach, in MB.
    pub max_mb: u64,
    /// Wall-clock time it may take, in seconds (generous: a loaded 2-core machine, a debug build).
    pub max_secs: f64,
}

pub const PROJECT_HEADER: &str = "年度,项目编码,单位编码,项目名称,预算类型,资金性质,预算金额";

fn project_row(code: &str, amount: &str) -> String {
    format!("2023,{code},101,项目{code},一般公共预算,专项资金,{amount}")
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> PathBuf {
    std::fs::write(path, bytes).unwrap();
    path.to_path_buf()
}

fn case(name: &'static str, paths: Vec<PathBuf>, expect: &[&str]) -> Case {
    Case {
        name,
        paths,
        expect: expect.iter().map(|s| s.to_string()).collect(),
        max_mb: 300,
        max_secs: 20.0,
    }
}

/// A 项目 CSV with one row holding `amount`.
fn amount_csv(dir: &Path, file: &str, amount: &str) -> PathBuf {
    write(
        &dir.join(file),
        format!("{PROJECT_HEADER}\n{}\n", project_row("P1", amount)),
    )
}

/// `79228162514264337593543950335万元` panicked (`Multiplication overflowed`), aborting the run.
pub fn overflowing_amount(dir: &Path) -> Case {
    let p = amount_csv(dir, "overflow_项目.csv", "79228162514264337593543950335万元");
    case(
        "overflowing_amount",
        vec![p],
        &["overflow_项目.csv:项目:2:预算金额: 「79228162514264337593543950335万元」超过上限"],
    )
}

/// `99999999999999999999999` was stored as i64::MAX 分 (9,223,372,036,854.78 万元).
pub fn saturating_amount(dir: &Path) -> Case {
    let p = amount_csv(dir, "sat_项目.csv", "99999999999999999999999");
    case(
        "saturating_amount",
        vec![p],
        &["sat_项目.csv:项目:2:预算金额: 「99999999999999999999999」超过上限"],
    )
}

/// `1e308` was refused as "超过两位小数"; `1,2,3` read as 123 元.
pub fn exponent_and_separators(dir: &Path) -> Case {
    let p = write(
        &dir.join("forms_项目.csv"),
        format!(
            "{PROJECT_HEADER}\n{}\n{}\n{}\n",
            project_row("P1", "1e308"),
            project_row("P2", "\"1,2,3\""),
            project_row("P3", "\"1,234,567.89\"")
        ),
    );
    case(
        "exponent_and_separators",
        vec![p],
        &[
            "forms_项目.csv:项目:2:预算金额: 「1e308」是科学计数法",
            "forms_项目.csv:项目:3:预算金额: 「1,2,3」的千分位逗号位置不对",
            "错误 2 条",
        ],
    )
}

/// A number cell of 1e308 in a workbook.
pub fn huge_number_cell(dir: &Path) -> Case {
    let path = dir.join("huge_number.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    for (c, h) in PROJECT_HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in project_row("P1", "0").split(',').enumerate().take(6) {
        ws.write_string(1, c as u16, v).unwrap();
    }
    ws.write_number(1, 6, 1e308).unwrap();
    wb.save(&path).unwrap();
    case(
        "huge_number_cell",
        vec![path],
        &["huge_number.xlsx:项目:2:预算金额: 金额「1e308」超过上限"],
    )
}

/// `0000-01-01` was read as a date.
pub fn year_zero_date(dir: &Path) -> Case {
    let p = write(
        &dir.join("dates_重点评价.csv"),
        "评价对象编码,委托机构,评价金额,现场评价底稿\nP1,某会计师事务所,100000,0000-01-01\n",
    );
    case(
        "year_zero_date",
        vec![p],
        &["dates_重点评价.csv:重点评价:2:现场评价底稿: 「0000-01-01」不是有效的日期（应为 2000–2100"],
    )
}

/// CRLF line endings (Excel on Windows) gave rows 5 and 7 instead of 3 and 4.
pub fn crlf_row_numbers(dir: &Path) -> Case {
    let p = write(
        &dir.join("crlf_项目.csv"),
        format!(
            "{PROJECT_HEADER}\r\n{}\r\n{}\r\n{}\r\n",
            project_row("P1", "100"),
            project_row("P2", "abc"),
            project_row("P3", "-1")
        ),
    );
    case(
        "crlf_row_numbers",
        vec![p],
        &[
            "crlf_项目.csv:项目:3:预算金额: 「abc」不是有效的金额",
            "crlf_项目.csv:项目:4:预算金额: 金额「-1」为负数",
            "错误 2 条",
        ],
    )
}

/// A file name with a newline forged an "导入完成…拒绝 0 个" line; a cell with
/// escape sequences was echoed raw. The runner also checks that no control
/// character but the line ends reaches stdout, and that one line starts with 导入完成.
pub fn forged_lines(dir: &Path) -> Case {
    let name = "x\n导入完成（0.01 秒）：共 1 个文件，导入 1 个，拒绝 0 个，错误 0 条\ny_项目.csv";
    let p = amount_csv(dir, name, "\u{1b}[2J\u{1b}]0;pwned\u{7}");
    case(
        "forged_lines",
        vec![p],
        &[
            "x\\n导入完成（0.01 秒）：共 1 个文件，导入 1 个，拒绝 0 个，错误 0 条\\ny_项目.csv:项目:2:预算金额: 「\\u{1b}[2J\\u{1b}]0;pwned\\u{7}」",
            "拒绝 1 个",
        ],
    )
}

/// A 22 KB xlsx with one cell in column XFD on 4,000 rows took 2.08 GB.
pub fn far_column(dir: &Path) -> Case {
    let path = dir.join("xfd.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    for (c, h) in PROJECT_HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for r in 1..=4000u32 {
        ws.write_string(r, 16_383, "x").unwrap();
    }
    wb.save(&path).unwrap();
    case(
        "far_column",
        vec![path],
        &["xfd.xlsx:项目:2:XFD: 单元格 XFD2 有内容，超出 256 列（IV 列）的上限"],
    )
}

/// A deflate stream of `n` spaces inside an otherwise plausible .xlsx: 1 GiB
/// compresses to about 1 MB. With `lie`, the zip directory (and the local
/// header) declare 4 KB instead.
fn zip_bomb(path: &Path, n: u64, lie: bool) {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(file);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    z.start_file("[Content_Types].xml", opts).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", opts).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).unwrap();
    z.start_file("xl/workbook.xml", opts).unwrap();
    z.write_all(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="项目" sheetId="1" r:id="rId1"/></sheets></workbook>"#.as_bytes()).unwrap();
    z.start_file("xl/_rels/workbook.xml.rels", opts).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).unwrap();
    z.start_file("xl/worksheets/sheet1.xml", opts.large_file(false))
        .unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len() as u64) as usize;
        z.write_all(&chunk[..k]).unwrap();
        left -= k as u64;
    }
    z.write_all(br#"</t></is></c></row></sheetData></worksheet>"#).unwrap();
    z.finish().unwrap();
    if lie {
        let mut bytes = std::fs::read(path).unwrap();
        let big = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as u64 > n;
        for i in 0..bytes.len().saturating_sub(46) {
            // Local header: uncompressed size at +22; central directory entry: at +24.
            let at = match &bytes[i..i + 4] {
                b"PK\x03\x04" => i + 22,
                b"PK\x01\x02" => i + 24,
                _ => continue,
            };
            if big(&bytes, at) {
                bytes[at..at + 4].copy_from_slice(&4096u32.to_le_bytes());
            }
        }
        std::fs::write(path, bytes).unwrap();
    }
}

/// A 1.9 MB zip bomb took 1.96 GB (and aborted under a memory limit).
pub fn zip_bomb_declared(dir: &Path) -> Case {
    let path = dir.join("bomb.xlsx");
    zip_bomb(&path, 1 << 30, false);
    case(
        "zip_bomb_declared",
        vec![path],
        &["bomb.xlsx:-:-:-: 工作簿解压后有 1024 MB，超过 256 MB 的上限"],
    )
}

/// The same bomb with its sizes understated: the zip reader stops at the
/// declared size, so it is a damaged file, read no further.
pub fn zip_bomb_lying(dir: &Path) -> Case {
    let path = dir.join("liar.xlsx");
    zip_bomb(&path, 1 << 30, true);
    case(
        "zip_bomb_lying",
        vec![path],
        &["liar.xlsx:-:-:-: 工作表「项目」无法读取"],
    )
}

/// A file past the size cap is refused before it is read (a sparse file: no disk used).
pub fn oversized_file(dir: &Path) -> Case {
    let path = dir.join("big.xlsx");
    let f = std::fs::File::create(&path).unwrap();
    (&f).write_all(b"PK\x03\x04").unwrap();
    f.set_len(40 * 1024 * 1024).unwrap();
    case(
        "oversized_file",
        vec![path],
        &["big.xlsx:-:-:-: 文件有 40 MB，超过 32 MB 的上限"],
    )
}

/// An .xls whose DIMENSIONS record declares a million rows by 256 columns:
/// calamine reserves that grid when it opens the file.
pub fn xls_declared_grid(dir: &Path, fixture: &Path) -> Case {
    let mut bytes = std::fs::read(fixture).unwrap();
    let mut patched = 0;
    for i in 0..bytes.len() - 18 {
        if bytes[i..i + 4] == [0x00, 0x02, 0x0E, 0x00] {
            bytes[i + 8..i + 12].copy_from_slice(&1_000_000u32.to_le_bytes());
            bytes[i + 14..i + 16].copy_from_slice(&256u16.to_le_bytes());
            patched += 1;
            break;
        }
    }
    assert_eq!(patched, 1, "no DIMENSIONS record in the fixture");
    let path = write(&dir.join("grid.xls"), bytes);
    case(
        "xls_declared_grid",
        vec![path],
        &["grid.xls:-:-:-: 第 1 张工作表声明的范围有 1000000 行 × 256 列，超过 2000000 个单元格的上限"],
    )
}

/// Two `ln -s . sN` links in a folder hung the import; one imported the same file 41 times.
pub fn symlink_loops(dir: &Path) -> Case {
    let folder = dir.join("links");
    std::fs::create_dir(&folder).unwrap();
    amount_csv(&folder, "a_项目.csv", "abc");
    std::os::unix::fs::symlink(".", folder.join("s1")).unwrap();
    std::os::unix::fs::symlink(".", folder.join("s2")).unwrap();
    std::os::unix::fs::symlink("a_项目.csv", folder.join("b_项目.csv")).unwrap();
    case(
        "symlink_loops",
        vec![folder.clone(), folder],
        &["共 1 个文件", "个指向文件夹的符号链接（不跟随", "每个只导入一次"],
    )
}

/// `rows` valid 项目 rows and one bad last row, so the whole file is read and
/// then refused with one error (the read alone is measured).
pub fn many_rows_csv(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join(format!("rows{rows}_项目.csv"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(out, "{PROJECT_HEADER}").unwrap();
    for i in 0..rows {
        writeln!(out, "{}", project_row(&format!("P{i}"), "123456.78")).unwrap();
    }
    writeln!(out, "{}", project_row("LAST", "abc")).unwrap();
    out.flush().unwrap();
    path
}

/// The same as a workbook.
pub fn many_rows_xlsx(dir: &Path, rows: usize) -> PathBuf {
    let path = dir.join(format!("rows{rows}.xlsx"));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    for (c, h) in PROJECT_HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for i in 0..=rows {
        let r = i as u32 + 1;
        let code = if i == rows { "LAST".to_string() } else { format!("P{i}") };
        ws.write_number(r, 0, 2023.0).unwrap();
        ws.write_string(r, 1, &code).unwrap();
        ws.write_string(r, 2, "101").unwrap();
        ws.write_string(r, 3, format!("项目{code}")).unwrap();
        ws.write_string(r, 4, "一般公共预算").unwrap();
        ws.write_string(r, 5, "专项资金").unwrap();
        if i == rows {
            ws.write_string(r, 6, "abc").unwrap();
        } else {
            ws.write_number(r, 6, 123456.78).unwrap();
        }
    }
    wb.save(&path).unwrap();
    path
}

/// Reading rows was quadratic: 50k rows 2.8 s, 190k rows 57 s.
pub fn many_rows(dir: &Path, rows: usize, xlsx: bool) -> Case {
    let path = if xlsx {
        many_rows_xlsx(dir, rows)
    } else {
        many_rows_csv(dir, rows)
    };
    let last = rows + 2;
    let mut c = case(
        if xlsx { "many_rows_xlsx" } else { "many_rows_csv" },
        vec![path],
        &[&format!(":项目:{last}:预算金额: 「abc」不是有效的金额"), "错误 1 条"],
    );
    c.max_secs = 30.0;
    // Memory grows with the rows (about 1.7 KB per 7-cell row of a workbook,
    // 1 KB of a CSV, read and checked): 200k rows is four times the largest
    // unit workbook, allowed more than the hostile cases' 300 MB.
    if rows > 50_000 {
        c.max_mb = 500;
    }
    c
}

/// Seeded mutants of the real fixtures (bytes flipped, truncated): whatever
/// they hold, each is imported or refused, and the run ends normally.
pub fn mutants(dir: &Path, fixtures: &[&Path], per_fixture: usize) -> Case {
    let folder = dir.join("mutants");
    std::fs::create_dir(&folder).unwrap();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut n = 0;
    for fixture in fixtures {
        let original = std::fs::read(fixture).unwrap();
        let ext = fixture.extension().unwrap().to_str().unwrap();
        for i in 0..per_fixture {
            let mut bytes = original.clone();
            if i % 5 == 4 {
                let cut = (next() as usize) % bytes.len();
                bytes.truncate(cut.max(8));
            } else {
                let flips = 1 + (next() as usize) % 16;
                for _ in 0..flips {
                    // Past the magic bytes, so the reader has to look inside.
                    let at = 8 + (next() as usize) % (bytes.len() - 8);
                    bytes[at] = next() as u8;
                }
            }
            write(&folder.join(format!("m{i:03}.{ext}")), bytes);
            n += 1;
        }
    }
    let mut c = case("mutants", vec![folder], &[&format!("共 {n} 个文件")]);
    c.max_secs = 60.0;
    c
}
