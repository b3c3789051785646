//! The budget units of a district: a fixed roster of 124 institutions per
//! district (区直部门, schools, hospitals, streets and towns), repeated with
//! other county names for larger scales so that names stay unique.

use std::collections::BTreeSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// What a unit does; decides its 业务科室 and the projects it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Admin,
    Law,
    Economy,
    Education,
    Culture,
    Health,
    Social,
    Civil,
    Construction,
    Agriculture,
    Township,
}

/// Units per district: the roster below has exactly this many entries.
pub const UNITS_PER_DISTRICT: usize = 124;

/// One roster entry. `{d}` is the district, `{t}` a street or town.
#[derive(Clone, Copy)]
struct Entry {
    name: &'static str,
    /// 主管部门; empty when the unit is its own department.
    department: &'static str,
    section: &'static str,
    field: Field,
    /// Relative size of its overall budget (部门整体), 万元-ish.
    weight: u64,
    /// Which of the district's streets/towns it belongs to.
    town: Option<usize>,
}

const ADMIN: &str = "行政政法科";
const EDU: &str = "教科文科";
const ECON: &str = "经济建设科";
const AGRI: &str = "农业农村科";
const SOCIAL: &str = "社会保障科";
const GENERAL: &str = "综合科";

/// The six 业务科室 that review units.
pub const SECTIONS: [&str; 6] = [ADMIN, EDU, ECON, AGRI, SOCIAL, GENERAL];

macro_rules! e {
    ($name:literal, $dept:literal, $sec:expr, $field:ident, $w:literal) => {
        Entry {
            name: $name,
            department: $dept,
            section: $sec,
            field: Field::$field,
            weight: $w,
            town: None,
        }
    };
}

const DISTRICT_UNITS: &[Entry] = &[
    e!("{d}委办公室", "", ADMIN, Admin, 900),
    e!("{d}人大常委会办公室", "", ADMIN, Admin, 600),
    e!("{d}人民政府办公室", "", ADMIN, Admin, 1100),
    e!("{d}政协办公室", "", ADMIN, Admin, 500),
    e!("{d}纪委监委机关", "", ADMIN, Admin, 1000),
    e!("{d}委组织部", "", ADMIN, Admin, 800),
    e!("{d}委宣传部", "", ADMIN, Admin, 600),
    e!("{d}委统战部", "", ADMIN, Admin, 300),
    e!("{d}委政法委员会", "", ADMIN, Admin, 500),
    e!("{d}委机构编制委员会办公室", "", ADMIN, Admin, 200),
    e!("{d}机关事务服务中心", "{d}人民政府办公室", ADMIN, Admin, 1300),
    e!("{d}信访局", "", ADMIN, Admin, 400),
    e!("{d}审计局", "", ADMIN, Admin, 600),
    e!("{d}档案馆", "{d}委办公室", ADMIN, Admin, 200),
    e!("{d}总工会", "", ADMIN, Admin, 300),
    e!("共青团{d}委员会", "", ADMIN, Admin, 150),
    e!("{d}妇女联合会", "", ADMIN, Admin, 150),
    e!("{d}工商业联合会", "", ADMIN, Admin, 150),
    e!("{d}老干部服务中心", "{d}委组织部", ADMIN, Admin, 400),
    e!("中共{d}委党校", "", ADMIN, Admin, 500),
    e!("{d}人民武装部", "", ADMIN, Admin, 400),
    e!("{d}公安分局", "", ADMIN, Law, 8000),
    e!("{d}司法局", "", ADMIN, Law, 900),
    e!("{d}人民法院", "", ADMIN, Law, 2500),
    e!("{d}人民检察院", "", ADMIN, Law, 1800),
    e!("{d}应急管理局", "", ADMIN, Law, 900),
    e!("{d}法律援助中心", "{d}司法局", ADMIN, Law, 200),
    e!("{d}财政局", "", GENERAL, Economy, 2000),
    e!("{d}财政事务中心", "{d}财政局", GENERAL, Economy, 600),
    e!("{d}发展和改革局", "", ECON, Economy, 700),
    e!("{d}统计局", "", GENERAL, Economy, 400),
    e!("{d}商务局", "", ECON, Economy, 500),
    e!("{d}科学技术和工业信息化局", "", ECON, Economy, 700),
    e!("{d}市场监督管理局", "", ECON, Economy, 2200),
    e!("{d}国有资产事务中心", "{d}财政局", GENERAL, Economy, 300),
    e!("{d}公共资源交易中心", "", GENERAL, Economy, 400),
    e!("{d}政府投资评审中心", "{d}财政局", GENERAL, Economy, 300),
    e!("{d}教育局", "", EDU, Education, 5000),
    e!("{d}第一中学", "{d}教育局", EDU, Education, 3200),
    e!("{d}第二中学", "{d}教育局", EDU, Education, 2800),
    e!("{d}第三中学", "{d}教育局", EDU, Education, 2200),
    e!("{d}第四中学", "{d}教育局", EDU, Education, 1800),
    e!("{d}实验中学", "{d}教育局", EDU, Education, 2400),
    e!("{d}实验小学", "{d}教育局", EDU, Education, 2000),
    e!("{d}第一小学", "{d}教育局", EDU, Education, 1600),
    e!("{d}第二小学", "{d}教育局", EDU, Education, 1500),
    e!("{d}第三小学", "{d}教育局", EDU, Education, 1400),
    e!("{d}第四小学", "{d}教育局", EDU, Education, 1300),
    e!("{d}第五小学", "{d}教育局", EDU, Education, 1200),
    e!("{d}第六小学", "{d}教育局", EDU, Education, 1100),
    e!("{d}第七小学", "{d}教育局", EDU, Education, 1000),
    e!("{d}第一幼儿园", "{d}教育局", EDU, Education, 700),
    e!("{d}第二幼儿园", "{d}教育局", EDU, Education, 600),
    e!("{d}第三幼儿园", "{d}教育局", EDU, Education, 500),
    e!("{d}职业中专学校", "{d}教育局", EDU, Education, 1500),
    e!("{d}特殊教育学校", "{d}教育局", EDU, Education, 400),
    e!("{d}教师发展中心", "{d}教育局", EDU, Education, 500),
    e!("{d}学生资助管理中心", "{d}教育局", EDU, Education, 200),
    e!("{d}文化旅游体育局", "", EDU, Culture, 1200),
    e!("{d}融媒体中心", "", EDU, Culture, 900),
    e!("{d}图书馆", "{d}文化旅游体育局", EDU, Culture, 300),
    e!("{d}文化馆", "{d}文化旅游体育局", EDU, Culture, 300),
    e!("{d}体育中心", "{d}文化旅游体育局", EDU, Culture, 400),
    e!("{d}卫生健康局", "", SOCIAL, Health, 3500),
    e!("{d}人民医院", "{d}卫生健康局", SOCIAL, Health, 4500),
    e!("{d}中医医院", "{d}卫生健康局", SOCIAL, Health, 2500),
    e!("{d}妇幼保健计划生育服务中心", "{d}卫生健康局", SOCIAL, Health, 1200),
    e!("{d}疾病预防控制中心", "{d}卫生健康局", SOCIAL, Health, 1000),
    e!("{d}卫生健康综合监督执法局", "{d}卫生健康局", SOCIAL, Health, 400),
    e!("{d}医疗保障局", "", SOCIAL, Social, 800),
    e!("{d}医疗保障事务中心", "{d}医疗保障局", SOCIAL, Social, 500),
    e!("{d}人力资源和社会保障局", "", SOCIAL, Social, 1500),
    e!("{d}社会保险服务中心", "{d}人力资源和社会保障局", SOCIAL, Social, 900),
    e!("{d}就业服务中心", "{d}人力资源和社会保障局", SOCIAL, Social, 500),
    e!("{d}民政局", "", SOCIAL, Civil, 2500),
    e!("{d}社会福利院", "{d}民政局", SOCIAL, Civil, 500),
    e!("{d}养老服务中心", "{d}民政局", SOCIAL, Civil, 400),
    e!("{d}退役军人事务局", "", SOCIAL, Civil, 700),
    e!("{d}残疾人联合会", "", SOCIAL, Civil, 400),
    e!("{d}红十字会", "", SOCIAL, Civil, 150),
    e!("{d}住房和城乡建设局", "", ECON, Construction, 2500),
    e!("{d}城市管理和综合执法局", "", ECON, Construction, 4000),
    e!("{d}交通运输局", "", ECON, Construction, 1500),
    e!("{d}自然资源分局", "", ECON, Construction, 1300),
    e!("{d}生态环境分局", "", ECON, Construction, 800),
    e!("{d}市政设施维护中心", "{d}住房和城乡建设局", ECON, Construction, 1200),
    e!(
        "{d}环境卫生服务中心",
        "{d}城市管理和综合执法局",
        ECON,
        Construction,
        2000
    ),
    e!(
        "{d}园林绿化服务中心",
        "{d}城市管理和综合执法局",
        ECON,
        Construction,
        1000
    ),
    e!("{d}公路建设养护中心", "{d}交通运输局", ECON, Construction, 800),
    e!("{d}征地拆迁服务中心", "{d}自然资源分局", ECON, Construction, 500),
    e!("{d}不动产登记中心", "{d}自然资源分局", ECON, Construction, 600),
    e!("{d}农业农村局", "", AGRI, Agriculture, 1800),
    e!("{d}水利局", "", AGRI, Agriculture, 900),
    e!("{d}林业局", "", AGRI, Agriculture, 600),
    e!("{d}动物疫病预防控制中心", "{d}农业农村局", AGRI, Agriculture, 300),
    e!("{d}水利工程管理站", "{d}水利局", AGRI, Agriculture, 300),
    e!("{d}乡村振兴服务中心", "{d}农业农村局", AGRI, Agriculture, 300),
];

/// Streets (街道) come first, then towns (镇).
const STREETS_PER_DISTRICT: usize = 5;
const TOWNS_PER_DISTRICT: usize = 8;
const HOME_TOWNS: [&str; TOWNS_PER_DISTRICT] = ["嵩山", "泰山", "栗雨", "马家河", "天易", "群丰", "雷打石", "三门"];

/// County-level names for the districts after the first (10× scale is a city).
const COUNTIES: &[&str] = &[
    "芦淞区",
    "荷塘区",
    "石峰区",
    "渌口区",
    "醴陵市",
    "攸县",
    "茶陵县",
    "炎陵县",
    "雨湖区",
    "岳塘区",
    "湘潭县",
    "湘乡市",
    "韶山市",
    "衡山县",
    "衡东县",
    "宁乡市",
    "浏阳市",
    "长沙县",
    "望城区",
    "湘阴县",
];

const PLACE_FIRST: &[&str] = &[
    "白", "石", "青", "桃", "枫", "龙", "凤", "金", "黄", "泉", "柏", "荷", "云", "杨", "梅", "花", "长", "新", "太",
    "仙",
];
const PLACE_SECOND: &[&str] = &[
    "田", "塘", "山", "桥", "湾", "坪", "溪", "岭", "冲", "港", "洲", "铺", "江", "峰", "坡", "垅", "口", "潭", "源",
    "市",
];

/// Town-based entries, repeated for each street or town.
fn town_entries(town: usize) -> Vec<Entry> {
    let street = town < STREETS_PER_DISTRICT;
    let mut out = vec![
        Entry {
            name: if street {
                "{t}街道办事处"
            } else {
                "{t}镇人民政府"
            },
            department: "",
            section: if street { GENERAL } else { AGRI },
            field: Field::Township,
            weight: 2500,
            town: Some(town),
        },
        Entry {
            name: "{t}中心学校",
            department: "{d}教育局",
            section: EDU,
            field: Field::Education,
            weight: 1200,
            town: Some(town),
        },
        Entry {
            name: if street {
                "{t}街道社区卫生服务中心"
            } else {
                "{t}镇卫生院"
            },
            department: "{d}卫生健康局",
            section: SOCIAL,
            field: Field::Health,
            weight: 700,
            town: Some(town),
        },
    ];
    if !street {
        out.push(Entry {
            name: "{t}镇农业综合服务中心",
            department: "{t}镇人民政府",
            section: AGRI,
            field: Field::Agriculture,
            weight: 250,
            town: Some(town),
        });
    }
    out
}

/// A unit as generated, with what the project generator needs to know.
#[derive(Debug, Clone)]
pub struct UnitPlan {
    pub code: String,
    pub name: String,
    pub department: String,
    pub section: &'static str,
    pub field: Field,
    pub weight: u64,
    /// Index of the district (0 = the home district).
    pub district: usize,
    /// Street or town the unit serves, if any.
    pub town: Option<String>,
}

impl UnitPlan {
    /// Units that hold social insurance funds (社会保险基金预算).
    pub fn holds_social_insurance(&self) -> bool {
        self.name.ends_with("社会保险服务中心") || self.name.ends_with("医疗保障事务中心")
    }

    /// Units that hold state capital (国有资本经营预算).
    pub fn holds_state_capital(&self) -> bool {
        self.name.ends_with("国有资产事务中心")
    }
}

/// `count` units: whole districts of 124, the last one possibly partial.
pub fn plan_units(count: usize, rng: &mut ChaCha8Rng) -> Vec<UnitPlan> {
    let mut used_places: BTreeSet<String> = HOME_TOWNS.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::with_capacity(count);
    let districts = count.div_ceil(UNITS_PER_DISTRICT);
    for district in 0..districts {
        let prefix = district_prefix(district);
        let towns: Vec<String> = if district == 0 {
            HOME_TOWNS.iter().map(|s| s.to_string()).collect()
        } else {
            (0..TOWNS_PER_DISTRICT)
                .map(|_| fresh_place(rng, &mut used_places))
                .collect()
        };
        let roster = DISTRICT_UNITS
            .iter()
            .copied()
            .chain((0..TOWNS_PER_DISTRICT).flat_map(town_entries));
        for (i, entry) in roster.enumerate() {
            if out.len() == count {
                break;
            }
            let town = entry.town.map(|t| towns[t].clone());
            let fill = |s: &str| s.replace("{d}", &prefix).replace("{t}", town.as_deref().unwrap_or(""));
            let name = fill(entry.name);
            let department = if entry.department.is_empty() {
                name.clone()
            } else {
                fill(entry.department)
            };
            out.push(UnitPlan {
                code: format!("{}{:03}", 101 + district, i + 1),
                name,
                department,
                section: entry.section,
                field: entry.field,
                weight: entry.weight,
                district,
                town,
            });
        }
    }
    out
}

fn district_prefix(district: usize) -> String {
    match district {
        0 => "区".to_string(),
        d if d <= COUNTIES.len() => COUNTIES[d - 1].to_string(),
        d => format!("第{d}片区"),
    }
}

/// A two-character place name not used before (20 × 20 combinations, then numbered).
fn fresh_place(rng: &mut ChaCha8Rng, used: &mut BTreeSet<String>) -> String {
    for _ in 0..64 {
        let name = format!(
            "{}{}",
            PLACE_FIRST[rng.random_range(0..PLACE_FIRST.len())],
            PLACE_SECOND[rng.random_range(0..PLACE_SECOND.len())]
        );
        if used.insert(name.clone()) {
            return name;
        }
    }
    let name = format!("新{}", used.len());
    used.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_district_is_exactly_the_roster() {
        let entries = DISTRICT_UNITS.len() + (0..TOWNS_PER_DISTRICT).map(|t| town_entries(t).len()).sum::<usize>();
        assert_eq!(entries, UNITS_PER_DISTRICT);
    }
}
