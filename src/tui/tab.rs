//! The seven tabs, in the order of the tab bar and of the keys 1–7.

use super::strings as s;
use crate::domain::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Target,
    Monitoring,
    SelfEval,
    KeyEval,
    /// 整改跟踪: the rectification board.
    Board,
    Overview,
    /// 结果应用.
    Results,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Target,
        Tab::Monitoring,
        Tab::SelfEval,
        Tab::KeyEval,
        Tab::Board,
        Tab::Overview,
        Tab::Results,
    ];

    /// The four review stages that have a queue, in tab order.
    pub const QUEUES: [Tab; 4] = [Tab::Target, Tab::Monitoring, Tab::SelfEval, Tab::KeyEval];

    /// 0-based position in the tab bar.
    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab at a 0-based position, wrapping.
    pub fn at(index: usize) -> Tab {
        Tab::ALL[index % Tab::ALL.len()]
    }

    pub fn next(self) -> Tab {
        Tab::at(self.index() + 1)
    }

    pub fn prev(self) -> Tab {
        Tab::at(self.index() + Tab::ALL.len() - 1)
    }

    /// The review stage whose queue this tab shows.
    pub fn queue_stage(self) -> Option<Stage> {
        match self {
            Tab::Target => Some(Stage::Target),
            Tab::Monitoring => Some(Stage::Monitoring),
            Tab::SelfEval => Some(Stage::SelfEval),
            Tab::KeyEval => Some(Stage::KeyEval),
            Tab::Board | Tab::Overview | Tab::Results => None,
        }
    }

    /// The queue tab of a review stage.
    pub fn of_stage(stage: Stage) -> Option<Tab> {
        Tab::QUEUES.into_iter().find(|t| t.queue_stage() == Some(stage))
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Board => Stage::Rectification.label(),
            Tab::Overview => s::TAB_OVERVIEW,
            Tab::Results => s::TAB_RESULTS,
            queue => queue.queue_stage().map_or("", Stage::label),
        }
    }
}
