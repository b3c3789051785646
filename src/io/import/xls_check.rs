//! An .xls file's sheet sizes, read from its records before calamine opens it.
//!
//! calamine's .xls reader parses every sheet when the workbook is opened: it
//! reserves room for the cells its DIMENSIONS record declares and then builds
//! the full grid (first used cell to last) of every sheet. A few hundred bytes
//! declaring 65,536 × 256 cells, or two cells at A1 and IV65536, would take
//! gigabytes (or abort on a reservation that cannot be met). So the compound
//! file is walked here — header, FAT, directory, the Workbook stream — and
//! each sheet's declared and used extent is held to `MAX_XLS_GRID_CELLS`.
//! Anything this walk cannot follow is refused as damaged: it is the same
//! structure calamine would have to follow.

use super::limits;
use super::table::ReadError;

const FREE_OR_END: u32 = 0xFFFF_FFFA; // MAXREGSECT + 1: anything ≥ is not a sector
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// Refuses an .xls whose sheets would not fit the caps, or whose structure
/// cannot be followed.
pub fn check(bytes: &[u8]) -> Result<(), ReadError> {
    let stream = workbook_stream(bytes).map_err(|why| {
        ReadError::file(format!(
            "文件已损坏或不完整，无法作为 Excel 工作簿打开（.xls 结构有误：{why}）"
        ))
    })?;
    check_sheets(&stream)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

/// The compound file's layout: enough to follow chains of sectors.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    fat: Vec<u32>,
}

impl Cfb<'_> {
    fn sector(&self, id: u32) -> Result<&[u8], &'static str> {
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector_size))
            .ok_or("扇区编号越界")?;
        self.bytes
            .get(start..)
            .and_then(|rest| rest.get(..self.sector_size))
            .ok_or("扇区超出文件末尾")
    }

    /// The sectors of the chain starting at `start`, at most one visit each.
    fn chain(&self, start: u32, table: &[u32]) -> Result<Vec<u32>, &'static str> {
        let mut out = Vec::new();
        let mut id = start;
        while id < FREE_OR_END {
            if out.len() > table.len() {
                return Err("扇区链成环");
            }
            out.push(id);
            id = *table.get(id as usize).ok_or("扇区链指向不存在的扇区")?;
        }
        if id != END_OF_CHAIN && !out.is_empty() {
            return Err("扇区链没有正常结束");
        }
        Ok(out)
    }

    fn read_chain(&self, start: u32, limit: usize) -> Result<Vec<u8>, &'static str> {
        let mut out = Vec::new();
        for id in self.chain(start, &self.fat)? {
            out.extend_from_slice(self.sector(id)?);
            if out.len() >= limit {
                break;
            }
        }
        out.truncate(limit);
        Ok(out)
    }
}

/// The `Workbook` (or BIFF5 `Book`) stream of a compound file.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    let header = bytes.get(..512).ok_or("文件头不完整")?;
    let shift = u16_at(header, 0x1E).ok_or("文件头不完整")?;
    if shift != 9 && shift != 12 {
        return Err("扇区大小无效");
    }
    let sector_size = 1usize << shift;
    let fat_sectors = u32_at(header, 0x2C).ok_or("文件头不完整")? as usize;
    let first_dir = u32_at(header, 0x30).ok_or("文件头不完整")?;
    let cutoff = u32_at(header, 0x38).ok_or("文件头不完整")? as usize;
    let first_minifat = u32_at(header, 0x3C).ok_or("文件头不完整")?;
    let mut difat_next = u32_at(header, 0x44).ok_or("文件头不完整")?;
    let sectors_in_file = bytes.len() / sector_size;
    if fat_sectors > sectors_in_file {
        return Err("FAT 扇区数超出文件大小");
    }
    // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
    let mut fat_ids: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(header, 0x4C + 4 * i))
        .filter(|id| *id < FREE_OR_END)
        .collect();
    let mut cfb = Cfb {
        bytes,
        sector_size,
        fat: Vec::new(),
    };
    let mut hops = 0;
    while difat_next < FREE_OR_END && fat_ids.len() < fat_sectors {
        hops += 1;
        if hops > sectors_in_file {
            return Err("DIFAT 链成环");
        }
        let sector = cfb.sector(difat_next)?;
        let per = sector_size / 4 - 1;
        fat_ids.extend(
            (0..per)
                .filter_map(|i| u32_at(sector, 4 * i))
                .filter(|id| *id < FREE_OR_END),
        );
        difat_next = u32_at(sector, 4 * per).ok_or("DIFAT 扇区不完整")?;
    }
    fat_ids.truncate(fat_sectors.max(1));
    let mut fat = Vec::with_capacity(fat_ids.len() * sector_size / 4);
    for id in &fat_ids {
        let sector = cfb.sector(*id)?;
        fat.extend((0..sector_size / 4).filter_map(|i| u32_at(sector, 4 * i)));
    }
    cfb.fat = fat;

    let dir = cfb.read_chain(first_dir, bytes.len())?;
    let mut root_start = END_OF_CHAIN;
    let mut found: Option<(u32, usize)> = None;
    for entry in dir.chunks_exact(128) {
        let name_len = (u16_at(entry, 64).unwrap_or(0) as usize).min(64);
        let name: Vec<u16> = entry[..name_len]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        let name = String::from_utf16_lossy(&name);
        let kind = entry[66];
        let start = u32_at(entry, 116).unwrap_or(END_OF_CHAIN);
        let size = u32_at(entry, 120).unwrap_or(0) as usize;
        if kind == 5 {
            root_start = start;
        } else if kind == 2 && (name == "Workbook" || (name == "Book" && found.is_none())) {
            found = Some((start, size));
        }
    }
    let (start, size) = found.ok_or("找不到 Workbook 数据流")?;
    if size > bytes.len() {
        return Err("Workbook 数据流的长度超出文件大小");
    }
    if size >= cutoff {
        return cfb.read_chain(start, size);
    }
    // A small stream lives in the mini stream, in 64-byte sectors.
    let minifat_bytes = cfb.read_chain(first_minifat, bytes.len())?;
    let minifat: Vec<u32> = minifat_bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mini = cfb.read_chain(root_start, bytes.len())?;
    let mut out = Vec::with_capacity(size);
    for id in cfb.chain(start, &minifat)? {
        let at = (id as usize).checked_mul(64).ok_or("小扇区编号越界")?;
        out.extend_from_slice(mini.get(at..at + 64).ok_or("小扇区超出数据流")?);
        if out.len() >= size {
            break;
        }
    }
    out.truncate(size);
    Ok(out)
}

/// BIFF records of a stream from `at`: (type, data).
fn records(stream: &[u8], at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut pos = at;
    std::iter::from_fn(move || {
        let typ = u16_at(stream, pos)?;
        let len = u16_at(stream, pos + 2)? as usize;
        let data = stream.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len;
        Some((typ, data))
    })
}

/// The extent of one sheet's cells.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    fn add(&mut self, row: u32, col: u32) {
        let widen = |r: Option<(u32, u32)>, v: u32| Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        self.rows = widen(self.rows, row);
        self.cols = widen(self.cols, col);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1),
            _ => 0,
        }
    }
}

/// Each sheet's declared dimensions and used extent against the cap, and all
/// sheets' grids together.
fn check_sheets(stream: &[u8]) -> Result<(), ReadError> {
    let mut positions = Vec::new();
    for (typ, data) in records(stream, 0) {
        match typ {
            0x0085 => positions.push(u32_at(data, 0).unwrap_or(u32::MAX) as usize),
            0x000A => break,
            _ => {}
        }
    }
    let cap = limits::MAX_XLS_GRID_CELLS;
    let too_big = |what: String| {
        ReadError::file(format!(
            "{what}，超过 {cap} 个单元格的上限（表格中可能有远在右下方的零星内容，删除后再导入）"
        ))
    };
    let mut total: u64 = 0;
    for (n, at) in positions.into_iter().enumerate() {
        let sheet = n + 1;
        let mut extent = Extent::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        let mut declared: u64 = 0;
        for (typ, data) in records(stream, at) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = || Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)));
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                0x0200 => {
                    let (rf, rl, mut cf, cl) = match data.len() {
                        10 => (
                            u32::from(u16_at(data, 0).unwrap_or(0)),
                            u32::from(u16_at(data, 2).unwrap_or(0)),
                            u32::from(u16_at(data, 4).unwrap_or(0)),
                            u32::from(u16_at(data, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u32_at(data, 0).unwrap_or(0),
                            u32_at(data, 4).unwrap_or(0),
                            u32::from(u16_at(data, 8).unwrap_or(0)),
                            u32::from(u16_at(data, 10).unwrap_or(0)),
                        ),
                        _ => continue,
                    };
                    // As calamine reads it.
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    if rl >= 1 && cl >= 1 {
                        if rl - 1 < rf {
                            return Err(ReadError::file(format!(
                                "文件已损坏：第 {sheet} 张工作表声明的范围首行在末行之后"
                            )));
                        }
                        declared = u64::from(rl - rf) * u64::from(cl - cf);
                        if declared > cap {
                            return Err(too_big(format!(
                                "第 {sheet} 张工作表声明的范围有 {} 行 × {} 列",
                                rl - rf,
                                cl - cf
                            )));
                        }
                    }
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let Some((r, c)) = cell() {
                        extent.add(r, c);
                    }
                }
                0x00BD => {
                    if let (Some((r, c)), Some(last)) =
                        (cell(), data.len().checked_sub(2).and_then(|i| u16_at(data, i)))
                    {
                        extent.add(r, c);
                        extent.add(r, u32::from(last));
                    }
                }
                _ => {}
            }
        }
        let used = extent.cells();
        if used > cap {
            let rows = extent.rows.map_or(0, |(a, b)| b - a + 1);
            let cols = extent.cols.map_or(0, |(a, b)| b - a + 1);
            return Err(too_big(format!(
                "第 {sheet} 张工作表的内容从第一个到最后一个单元格跨 {rows} 行 × {cols} 列"
            )));
        }
        total = total.saturating_add(used.max(declared));
        if total > cap {
            return Err(too_big("各工作表的内容范围合计".to_string()));
        }
    }
    Ok(())
}
