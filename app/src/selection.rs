//! How the setup form's skill selection follows the chosen interview type.
//!
//! Choosing a type pre-selects its suggested skills. Skills the user ticks or unticks by hand
//! are remembered, so switching to another type swaps the suggestions but keeps hand-picked
//! skills (and keeps unticked suggestions unticked if the new type suggests them too).

use crate::model::SkillId;
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// The skills currently ticked.
    pub selected: BTreeSet<SkillId>,
    /// Ticked by hand.
    pub picked: BTreeSet<SkillId>,
    /// Unticked by hand.
    pub dropped: BTreeSet<SkillId>,
}

impl Selection {
    /// The user ticked (`on`) or unticked a skill.
    pub fn toggle(&mut self, skill: SkillId, on: bool) {
        if on {
            self.selected.insert(skill);
            self.picked.insert(skill);
            self.dropped.remove(&skill);
        } else {
            self.selected.remove(&skill);
            self.picked.remove(&skill);
            self.dropped.insert(skill);
        }
    }

    /// The type changed and now suggests `suggested`: the selection becomes the hand-picked
    /// skills plus the new suggestions the user has not unticked.
    pub fn switch_type(&mut self, suggested: &[SkillId]) {
        self.selected = self
            .picked
            .iter()
            .copied()
            .chain(
                suggested
                    .iter()
                    .copied()
                    .filter(|s| !self.dropped.contains(s)),
            )
            .collect();
    }
}

/// The skills in display order: suggested ones first, each group keeping its given order.
pub fn suggested_first<T: Clone>(
    items: &[T],
    id: impl Fn(&T) -> SkillId,
    suggested: &[SkillId],
) -> Vec<T> {
    let mut out: Vec<T> = items
        .iter()
        .filter(|i| suggested.contains(&id(i)))
        .cloned()
        .collect();
    out.extend(
        items
            .iter()
            .filter(|i| !suggested.contains(&id(i)))
            .cloned(),
    );
    out
}

/// Case-insensitive match of a skill name against the search box.
pub fn matches_search(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    q.is_empty() || name.to_lowercase().contains(&q)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TECHNICAL: [i64; 4] = [1, 2, 5, 9];
    const BEHAVIORAL: [i64; 3] = [6, 7, 13];

    fn skills(ids: &[i64]) -> Vec<SkillId> {
        ids.iter().copied().map(SkillId).collect()
    }

    fn set(ids: &[i64]) -> BTreeSet<SkillId> {
        ids.iter().copied().map(SkillId).collect()
    }

    #[test]
    fn choosing_a_type_preselects_its_suggestions() {
        let mut s = Selection::default();
        s.switch_type(&skills(&TECHNICAL));
        assert_eq!(s.selected, set(&TECHNICAL));
    }

    #[test]
    fn switching_type_swaps_suggestions_but_keeps_manual_picks() {
        let mut s = Selection::default();
        s.switch_type(&skills(&TECHNICAL));
        s.toggle(SkillId(4), true); // Go, by hand
        s.switch_type(&skills(&BEHAVIORAL));
        assert_eq!(s.selected, set(&[4, 6, 7, 13]));
        s.switch_type(&skills(&TECHNICAL));
        assert_eq!(s.selected, set(&[1, 2, 4, 5, 9]));
    }

    #[test]
    fn an_unticked_suggestion_stays_unticked() {
        let mut s = Selection::default();
        s.switch_type(&skills(&TECHNICAL));
        s.toggle(SkillId(2), false); // not Python
        s.switch_type(&skills(&BEHAVIORAL));
        s.switch_type(&skills(&TECHNICAL));
        assert_eq!(s.selected, set(&[1, 5, 9]));
        s.toggle(SkillId(2), true);
        assert!(s.selected.contains(&SkillId(2)));
    }

    #[test]
    fn a_suggestion_ticked_by_hand_survives_a_switch() {
        let mut s = Selection::default();
        s.switch_type(&skills(&TECHNICAL));
        s.toggle(SkillId(1), false);
        s.toggle(SkillId(1), true); // re-ticked by hand: now a manual pick
        s.switch_type(&skills(&BEHAVIORAL));
        assert_eq!(s.selected, set(&[1, 6, 7, 13]));
    }

    #[test]
    fn ordering_and_search() {
        let items = [
            (SkillId(1), "JavaScript"),
            (SkillId(4), "Go"),
            (SkillId(6), "Communication"),
        ];
        let ordered = suggested_first(&items, |i| i.0, &[SkillId(6)]);
        assert_eq!(
            ordered.iter().map(|i| i.0).collect::<Vec<_>>(),
            skills(&[6, 1, 4])
        );
        assert!(matches_search("JavaScript", " script "));
        assert!(matches_search("Go", ""));
        assert!(!matches_search("Go", "java"));
    }
}
