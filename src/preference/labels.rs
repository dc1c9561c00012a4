//! What an owner tells Chimera about characters (patent figs. 11–15): like / dislike by swiping,
//! a slider from 0.0 to 1.0, pick 1 of 2 or 1 of 4, or one of N classes the owner named.
//!
//! Every label stores the genome — never the picture, which the generator can always redraw. A
//! [`LabelBook`] keeps one owner's labels for one model in the order given, with skips, so that
//! undo takes back exactly the last thing the owner did and the queue never shows a character
//! again.

use super::json;
use super::PreferenceError;
use crate::genome::Genome;
use serde::{Deserialize, Serialize};

/// How the owner is asked: decides the shape of each prompt the queue makes and which labels come
/// back. Swipes, sliders and picks all teach one like/dislike taste; classes teach N classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelMode {
    /// Like or dislike one character, with skip and undo (figs. 11–12).
    Swipe,
    /// A value from 0.0 (dislike) to 1.0 (like) for one character (fig. 13).
    Slider,
    /// Pick the preferred one of two characters (fig. 14).
    PickTwo,
    /// Pick the preferred one of four characters (fig. 15).
    PickFour,
    /// Put one character into one of the owner's named classes (fig. 13, "kiss, marry, kill").
    Classes,
}

impl LabelMode {
    /// Characters shown per prompt.
    pub fn prompt_size(self) -> usize {
        match self {
            LabelMode::PickTwo => 2,
            LabelMode::PickFour => 4,
            LabelMode::Swipe | LabelMode::Slider | LabelMode::Classes => 1,
        }
    }
}

/// What a model learns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Task {
    /// One like/dislike taste, taught by swipes, sliders and picks together.
    Taste,
    /// N ≥ 2 classes named by the owner, e.g. `["kiss", "marry", "kill"]`.
    Classes {
        /// The class names, in class-index order.
        names: Vec<String>,
    },
}

impl Task {
    /// N classes, checked: at least two, none empty, no repeats.
    pub fn classes<S: Into<String>>(
        names: impl IntoIterator<Item = S>,
    ) -> Result<Task, PreferenceError> {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        if names.len() < 2 {
            return Err(PreferenceError::InvalidClasses(format!(
                "need at least 2 class names, got {}",
                names.len()
            )));
        }
        if let Some(i) = names.iter().position(|n| n.trim().is_empty()) {
            return Err(PreferenceError::InvalidClasses(format!(
                "class name {i} is empty"
            )));
        }
        for (i, n) in names.iter().enumerate() {
            if let Some(j) = names[..i].iter().position(|m| m == n) {
                return Err(PreferenceError::InvalidClasses(format!(
                    "class name \"{n}\" is given twice (at {j} and {i})"
                )));
            }
        }
        Ok(Task::Classes { names })
    }

    /// Model outputs: 1 for a taste, N for classes.
    pub fn outputs(&self) -> usize {
        match self {
            Task::Taste => 1,
            Task::Classes { names } => names.len(),
        }
    }

    /// The task's name in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Task::Taste => "taste",
            Task::Classes { .. } => "classes",
        }
    }
}

/// One answer of the owner. Swipes, sliders and picks teach a taste; classes teach classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Label {
    /// Liked (swiped right) or disliked (swiped left).
    Swipe {
        /// The character shown.
        #[serde(with = "json::genome")]
        genome: Genome,
        /// True for like.
        like: bool,
    },
    /// A slider value: 0.0 dislike … 1.0 like, learned as a soft label.
    Slider {
        /// The character shown.
        #[serde(with = "json::genome")]
        genome: Genome,
        /// The owner's value in 0.0..=1.0.
        value: f64,
    },
    /// The owner picked `shown[chosen]` over every other character shown with it.
    Pick {
        /// The characters shown together, 2 to 16 (the UI shows 2 or 4).
        #[serde(with = "json::genomes")]
        shown: Vec<Genome>,
        /// Index into `shown` of the one picked.
        chosen: usize,
    },
    /// The owner put the character into class `class` (an index into the task's names).
    Class {
        /// The character shown.
        #[serde(with = "json::genome")]
        genome: Genome,
        /// The class index.
        class: usize,
    },
}

impl Label {
    /// The label's kind in messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Label::Swipe { .. } => "swipe",
            Label::Slider { .. } => "slider",
            Label::Pick { .. } => "pick",
            Label::Class { .. } => "class",
        }
    }

    /// Every genome this label shows.
    pub fn genomes(&self) -> &[Genome] {
        match self {
            Label::Swipe { genome, .. }
            | Label::Slider { genome, .. }
            | Label::Class { genome, .. } => std::slice::from_ref(genome),
            Label::Pick { shown, .. } => shown,
        }
    }

    /// Check the label on its own and against the book's task.
    fn check(&self, task: &Task) -> Result<(), PreferenceError> {
        match (self, task) {
            (Label::Class { .. }, Task::Taste) => Err(PreferenceError::WrongTask {
                label: "class",
                task: "taste",
                hint: "open a classes book (Task::Classes) for class labels",
            }),
            (
                Label::Swipe { .. } | Label::Slider { .. } | Label::Pick { .. },
                Task::Classes { .. },
            ) => Err(PreferenceError::WrongTask {
                label: self.kind(),
                task: "classes",
                hint:
                    "label with a class index, or open a taste book for swipes, sliders and picks",
            }),
            (Label::Slider { value, .. }, _) if !(0.0..=1.0).contains(value) => {
                Err(PreferenceError::InvalidLabel(format!(
                    "slider value must be in 0.0..=1.0, got {value}"
                )))
            }
            (Label::Pick { shown, chosen }, _) => {
                if !(2..=16).contains(&shown.len()) {
                    return Err(PreferenceError::InvalidLabel(format!(
                        "a pick shows 2 to 16 characters, got {}",
                        shown.len()
                    )));
                }
                if *chosen >= shown.len() {
                    return Err(PreferenceError::InvalidLabel(format!(
                        "chosen must index the {} characters shown (0..{}), got {chosen}",
                        shown.len(),
                        shown.len() - 1
                    )));
                }
                Ok(())
            }
            (Label::Class { class, .. }, Task::Classes { names }) if *class >= names.len() => {
                Err(PreferenceError::InvalidLabel(format!(
                    "class must be 0..{} ({}), got {class}",
                    names.len() - 1,
                    names.join(", ")
                )))
            }
            _ => Ok(()),
        }
    }
}

/// One thing the owner did, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    /// A label.
    Labelled(Label),
    /// The owner skipped a character: nothing is learned, but the queue will not show it again.
    Skipped {
        /// The character skipped.
        #[serde(with = "json::genome")]
        genome: Genome,
    },
}

/// One owner's labels for one model, in the order given, with skips.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BookParts")]
pub struct LabelBook {
    /// What the labels teach; fixed when the book is opened, so a model's outputs never change.
    task: Task,
    /// Everything the owner did, oldest first; undo pops the last.
    entries: Vec<Entry>,
}

/// The unchecked serde form of a book, validated into a [`LabelBook`].
#[derive(Deserialize)]
struct BookParts {
    task: Task,
    entries: Vec<Entry>,
}

impl TryFrom<BookParts> for LabelBook {
    type Error = PreferenceError;
    fn try_from(parts: BookParts) -> Result<Self, Self::Error> {
        if let Task::Classes { names } = &parts.task {
            Task::classes(names.clone())?;
        }
        let mut book = LabelBook::new(parts.task);
        for (i, entry) in parts.entries.into_iter().enumerate() {
            match entry {
                Entry::Labelled(label) => book.add(label).map_err(|e| match e {
                    PreferenceError::InvalidLabel(m) => {
                        PreferenceError::InvalidLabel(format!("entries[{i}]: {m}"))
                    }
                    other => other,
                })?,
                Entry::Skipped { genome } => book.skip(genome),
            }
        }
        Ok(book)
    }
}

impl LabelBook {
    /// An empty book for `task`.
    pub fn new(task: Task) -> Self {
        LabelBook {
            task,
            entries: Vec::new(),
        }
    }

    /// An empty like/dislike taste book.
    pub fn taste() -> Self {
        LabelBook::new(Task::Taste)
    }

    /// An empty book for N named classes.
    pub fn classes<S: Into<String>>(
        names: impl IntoIterator<Item = S>,
    ) -> Result<Self, PreferenceError> {
        Ok(LabelBook::new(Task::classes(names)?))
    }

    /// What the labels teach.
    pub fn task(&self) -> &Task {
        &self.task
    }

    /// Record a label, checked against the task.
    pub fn add(&mut self, label: Label) -> Result<(), PreferenceError> {
        label.check(&self.task)?;
        self.entries.push(Entry::Labelled(label));
        Ok(())
    }

    /// Record a skip.
    pub fn skip(&mut self, genome: Genome) {
        self.entries.push(Entry::Skipped { genome });
    }

    /// Take back the last label or skip, returning it.
    pub fn undo(&mut self) -> Option<Entry> {
        self.entries.pop()
    }

    /// Everything the owner did, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The labels, oldest first.
    pub fn labels(&self) -> impl Iterator<Item = &Label> + '_ {
        self.entries.iter().filter_map(|e| match e {
            Entry::Labelled(l) => Some(l),
            Entry::Skipped { .. } => None,
        })
    }

    /// Number of labels (skips do not count).
    pub fn len(&self) -> usize {
        self.labels().count()
    }

    /// True when nothing has been labelled.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every character already shown — labelled or skipped — so the queue can avoid them.
    pub fn seen(&self) -> impl Iterator<Item = &Genome> + '_ {
        self.entries.iter().flat_map(|e| match e {
            Entry::Labelled(l) => l.genomes(),
            Entry::Skipped { genome } => std::slice::from_ref(genome),
        })
    }

    /// The book as it was after its first `n` labels (skips in between kept): the learning curve
    /// and the k-fold splits train on such prefixes and subsets.
    pub fn first(&self, n: usize) -> LabelBook {
        let mut out = LabelBook::new(self.task.clone());
        let mut kept = 0;
        for e in &self.entries {
            if matches!(e, Entry::Labelled(_)) {
                if kept == n {
                    break;
                }
                kept += 1;
            }
            out.entries.push(e.clone());
        }
        out
    }

    /// A book holding the given labels of this one (by label index), in that order.
    pub fn subset(&self, indices: &[usize]) -> LabelBook {
        let labels: Vec<&Label> = self.labels().collect();
        LabelBook {
            task: self.task.clone(),
            entries: indices
                .iter()
                .map(|&i| Entry::Labelled(labels[i].clone()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(b: u8) -> Genome {
        Genome::from_bytes([b; 40])
    }

    #[test]
    fn undo_takes_back_the_last_entry_whatever_it_was() {
        let mut book = LabelBook::taste();
        book.add(Label::Swipe {
            genome: g(1),
            like: true,
        })
        .unwrap();
        book.skip(g(2));
        book.add(Label::Slider {
            genome: g(3),
            value: 0.25,
        })
        .unwrap();
        assert_eq!(book.len(), 2);
        assert_eq!(book.seen().count(), 3);
        assert!(matches!(
            book.undo(),
            Some(Entry::Labelled(Label::Slider { .. }))
        ));
        assert!(matches!(book.undo(), Some(Entry::Skipped { .. })));
        assert_eq!(book.len(), 1);
    }

    #[test]
    fn labels_are_checked_against_the_task() {
        let mut taste = LabelBook::taste();
        let err = taste
            .add(Label::Class {
                genome: g(1),
                class: 0,
            })
            .unwrap_err();
        assert!(err.to_string().contains("open a classes book"), "{err}");
        let err = taste
            .add(Label::Slider {
                genome: g(1),
                value: 1.5,
            })
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid label: slider value must be in 0.0..=1.0, got 1.5"
        );
        let err = taste
            .add(Label::Pick {
                shown: vec![g(1), g(2)],
                chosen: 2,
            })
            .unwrap_err();
        assert!(err.to_string().contains("got 2"), "{err}");
        let mut kmk = LabelBook::classes(["kiss", "marry", "kill"]).unwrap();
        assert!(kmk
            .add(Label::Class {
                genome: g(1),
                class: 2
            })
            .is_ok());
        assert!(kmk
            .add(Label::Class {
                genome: g(1),
                class: 3
            })
            .is_err());
        assert!(kmk
            .add(Label::Swipe {
                genome: g(1),
                like: true
            })
            .is_err());
        assert!(LabelBook::classes(["a", "a"]).is_err());
        assert!(LabelBook::classes(["solo"]).is_err());
    }

    #[test]
    fn a_book_round_trips_through_json_and_is_validated_on_the_way_in() {
        let mut book = LabelBook::taste();
        book.add(Label::Pick {
            shown: vec![g(1), g(2), g(3), g(4)],
            chosen: 3,
        })
        .unwrap();
        book.skip(g(5));
        let text = serde_json::to_string(&book).unwrap();
        assert!(text.contains("\"kind\":\"pick\""), "{text}");
        assert_eq!(serde_json::from_str::<LabelBook>(&text).unwrap(), book);
        let bad = text.replace("\"chosen\":3", "\"chosen\":7");
        assert!(serde_json::from_str::<LabelBook>(&bad)
            .unwrap_err()
            .to_string()
            .contains("entries[0]"));
    }

    #[test]
    fn first_keeps_a_prefix_of_labels() {
        let mut book = LabelBook::taste();
        for i in 0..5 {
            book.add(Label::Swipe {
                genome: g(i),
                like: i % 2 == 0,
            })
            .unwrap();
        }
        assert_eq!(book.first(3).len(), 3);
        assert_eq!(book.first(9).len(), 5);
        assert_eq!(book.subset(&[4, 0]).labels().next(), book.labels().nth(4));
    }
}
