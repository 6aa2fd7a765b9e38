//! Which questions an interview asks, chosen once when it starts.
//!
//! The rules, in priority order:
//! 1. every selected skill gets a question when there are at least as many questions as skills;
//! 2. no question twice;
//! 3. never two questions on one theme — the plan is shorter than asked for rather than repeat
//!    one (the bank has far more themes than an interview has questions);
//! 4. questions this user met in recent interviews only when the pool has nothing else;
//! 5. questions tagged with the interview's type before others of the skill (a Behavioral
//!    interview on Python asks about working with Python, not "list vs tuple");
//! 6. the chosen difficulty when the pool has it (mixed: easier first, harder later;
//!    adaptive: each skill at its own level);
//! 7. otherwise a shuffle fixed by the seed, so a given interview always gets the same plan.

pub use crate::model::difficulty_rank;
use crate::model::{Difficulty, DifficultyPlan, DifficultySetting, Question, QuestionId, SkillId};
use std::collections::HashSet;

pub struct PlanInput<'a> {
    /// The pool, as `get_questions_by_interview_type_and_skill_ids` orders it (the type's
    /// suggested skills first).
    pub pool: &'a [Question],
    pub count: usize,
    /// The setting and, when adaptive, each skill's level.
    pub difficulty: DifficultyPlan<'a>,
    /// Question ids this user met in recent interviews.
    pub recent: &'a HashSet<QuestionId>,
    pub seed: u64,
}

/// The planned questions, in the order they will be asked.
pub fn plan_questions(input: &PlanInput<'_>) -> Vec<Question> {
    let mut rng = SplitMix64(input.seed);
    // Skills in pool order; each with its questions shuffled by the seed.
    let mut skills: Vec<(SkillId, Vec<&Question>)> = Vec::new();
    let mut seen = HashSet::new();
    for q in input.pool {
        let Some(skill) = q.skill_id else { continue };
        if !seen.insert(q.id) {
            continue;
        }
        match skills.iter_mut().find(|(s, _)| *s == skill) {
            Some((_, qs)) => qs.push(q),
            None => skills.push((skill, vec![q])),
        }
    }
    for (_, qs) in &mut skills {
        for i in (1..qs.len()).rev() {
            qs.swap(i, rng.below(i + 1));
        }
    }
    let count = input.count;
    // The difficulty wanted for the next question, on `skill`, in plan slot `slot`.
    let target = |skill: SkillId, slot: usize| -> Option<Difficulty> {
        match input.difficulty.setting {
            DifficultySetting::Mixed => Some(
                [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard][slot * 3 / count.max(1)],
            ),
            _ => input.difficulty.level_for(skill),
        }
    };
    let mut picked: Vec<Question> = Vec::with_capacity(count);
    // Takes the best remaining question of a skill for the next slot: not recent before
    // recent, the slot's difficulty before others, then shuffled order.
    let take = |skill: SkillId,
                qs: &mut Vec<&Question>,
                picked: &mut Vec<Question>,
                allow_recent: bool| {
        let want = target(skill, picked.len());
        let theme_taken = |q: &Question| {
            q.theme
                .as_ref()
                .is_some_and(|t| picked.iter().any(|p| p.theme.as_ref() == Some(t)))
        };
        let best = qs
            .iter()
            .enumerate()
            .filter(|(_, q)| allow_recent || !input.recent.contains(&q.id))
            .filter(|(_, q)| !theme_taken(q))
            .min_by_key(|(i, q)| {
                (
                    input.recent.contains(&q.id),
                    !q.for_type,
                    q.difficulty != want,
                    *i,
                )
            })
            .map(|(i, _)| i);
        match best {
            Some(i) => {
                picked.push(qs.remove(i).clone());
                true
            }
            None => false,
        }
    };
    // 1: one question per skill, in skill order.
    for (skill, qs) in &mut skills {
        if picked.len() == count {
            break;
        }
        take(*skill, qs, &mut picked, true);
    }
    // 2 and 3: round the skills again, first with unseen questions only, then with any.
    for allow_recent in [false, true] {
        loop {
            let mut progressed = false;
            for (skill, qs) in &mut skills {
                if picked.len() == count {
                    break;
                }
                progressed |= take(*skill, qs, &mut picked, allow_recent);
            }
            if !progressed || picked.len() == count {
                break;
            }
        }
    }
    if input.difficulty.setting == DifficultySetting::Mixed {
        // Stable: same-difficulty questions keep their turn-by-turn skill order.
        picked.sort_by_key(|q| difficulty_rank(q.difficulty));
    }
    picked
}

/// A stable seed for an interview: FNV-1a of its id (std's hasher may change between releases).
pub fn seed_for(interview_id: &str) -> u64 {
    interview_id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// SplitMix64: tiny, well-mixed, and the same on every platform and release.
pub struct SplitMix64(pub u64);

impl SplitMix64 {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0); the modulo bias is irrelevant at these sizes.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated pool: `skills` skills with a random number of questions each, random
    /// difficulties, in the store's order (skill, difficulty, id).
    fn pool(rng: &mut SplitMix64, skills: usize) -> Vec<Question> {
        let mut out = Vec::new();
        let mut id = 1;
        for s in 0..skills {
            let mut qs: Vec<Question> = (0..1 + rng.below(8))
                .map(|_| {
                    id += 1;
                    Question {
                        id: QuestionId(id),
                        skill_id: Some(SkillId(100 + s as i64)),
                        text: format!("q{id}"),
                        difficulty: Some(Difficulty::ALL[rng.below(3)]),
                        // A few shared themes, so plans must avoid repeats across skills.
                        theme: (rng.below(3) != 0).then(|| format!("t{}", rng.below(12))),
                        for_type: rng.below(2) == 0,
                    }
                })
                .collect();
            qs.sort_by_key(|q| (difficulty_rank(q.difficulty), q.id));
            out.extend(qs);
        }
        out
    }

    fn cases(n: u64) -> impl Iterator<Item = (Vec<Question>, PlanInputOwned)> {
        (0..n).map(|case| {
            let mut rng = SplitMix64(case);
            let skills = 1 + rng.below(6);
            let p = pool(&mut rng, skills);
            let recent: HashSet<QuestionId> = p
                .iter()
                .filter(|_| rng.below(3) == 0)
                .map(|q| q.id)
                .collect();
            let input = PlanInputOwned {
                count: 3 + rng.below(10),
                difficulty: DifficultySetting::ALL[rng.below(4)],
                recent,
                seed: rng.next_u64(),
            };
            (p, input)
        })
    }

    struct PlanInputOwned {
        count: usize,
        difficulty: DifficultySetting,
        recent: HashSet<QuestionId>,
        seed: u64,
    }

    /// The pool without themes or type tags, for the rules those two outrank.
    fn plain(p: &[Question]) -> Vec<Question> {
        p.iter()
            .map(|q| Question {
                theme: None,
                for_type: false,
                ..q.clone()
            })
            .collect()
    }

    /// Whether `q`'s theme is already in `plan`.
    fn theme_in(plan: &[Question], q: &Question) -> bool {
        q.theme
            .as_ref()
            .is_some_and(|t| plan.iter().any(|p| p.theme.as_ref() == Some(t)))
    }

    fn run(p: &[Question], i: &PlanInputOwned) -> Vec<Question> {
        plan_questions(&PlanInput {
            pool: p,
            count: i.count,
            difficulty: i.difficulty.into(),
            recent: &i.recent,
            seed: i.seed,
        })
    }

    #[test]
    fn plans_have_the_right_length_and_no_repeats() {
        for (p, i) in cases(2000) {
            let plan = run(&p, &i);
            assert!(plan.len() <= i.count);
            if plan.len() < i.count {
                // Shorter only because every question left repeats a theme of the plan.
                assert!(
                    p.iter().all(|q| plan.contains(q) || theme_in(&plan, q)),
                    "the plan stopped short with usable questions left"
                );
            }
            assert_eq!(plain(&p).len().min(i.count), run(&plain(&p), &i).len());
            let ids: HashSet<QuestionId> = plan.iter().map(|q| q.id).collect();
            assert_eq!(ids.len(), plan.len(), "a question repeats");
            let themes: Vec<&String> = plan.iter().filter_map(|q| q.theme.as_ref()).collect();
            let distinct: HashSet<&&String> = themes.iter().collect();
            assert_eq!(distinct.len(), themes.len(), "a theme repeats");
            assert!(
                plan.iter().all(|q| p.contains(q)),
                "a question from outside the pool"
            );
        }
    }

    #[test]
    fn every_skill_gets_a_question_when_there_are_enough_questions() {
        for (p, i) in cases(2000) {
            let skills: HashSet<SkillId> = p.iter().filter_map(|q| q.skill_id).collect();
            let plan = run(&p, &i);
            let covered: HashSet<SkillId> = plan.iter().filter_map(|q| q.skill_id).collect();
            if i.count >= skills.len() {
                for s in skills.difference(&covered) {
                    assert!(
                        p.iter()
                            .filter(|q| q.skill_id == Some(*s))
                            .all(|q| theme_in(&plan, q)),
                        "skill {s} got no question though it had one on a new theme"
                    );
                }
            }
            // In turn: a skill has two more questions than another only when the other had
            // no unseen question left.
            let n = |s: SkillId| plan.iter().filter(|q| q.skill_id == Some(s)).count();
            for a in &skills {
                for b in &skills {
                    if n(*a) > n(*b) + 1 {
                        let fresh_left = p
                            .iter()
                            .filter(|q| q.skill_id == Some(*b) && !plan.contains(q))
                            .filter(|q| !i.recent.contains(&q.id) && !theme_in(&plan, q))
                            .count();
                        assert_eq!(fresh_left, 0, "skill {b} was passed over");
                    }
                }
            }
        }
    }

    #[test]
    fn mixed_difficulty_goes_from_easier_to_harder() {
        for (p, i) in cases(2000) {
            if i.difficulty != DifficultySetting::Mixed {
                continue;
            }
            let ranks: Vec<u8> = run(&p, &i)
                .iter()
                .map(|q| difficulty_rank(q.difficulty))
                .collect();
            assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        }
    }

    #[test]
    fn a_fixed_difficulty_is_kept_while_the_pool_has_it() {
        let mut checked = 0;
        for (p, i) in cases(3000) {
            let p = plain(&p);
            let Some(want) = (match i.difficulty {
                DifficultySetting::Mixed => None,
                d => d.as_str().parse::<Difficulty>().ok(),
            }) else {
                continue;
            };
            let skills: HashSet<SkillId> = p.iter().filter_map(|q| q.skill_id).collect();
            let per_skill = i.count.div_ceil(skills.len());
            let enough = skills.iter().all(|s| {
                p.iter()
                    .filter(|q| q.skill_id == Some(*s) && q.difficulty == Some(want))
                    .filter(|q| !i.recent.contains(&q.id))
                    .count()
                    >= per_skill
            });
            if enough {
                checked += 1;
                assert!(run(&p, &i).iter().all(|q| q.difficulty == Some(want)));
            }
        }
        assert!(checked > 20, "too few cases exercised the rule: {checked}");
    }

    #[test]
    fn recent_questions_are_avoided_while_the_pool_allows() {
        for (p, i) in cases(2000) {
            let p = plain(&p);
            let skills: HashSet<SkillId> = p.iter().filter_map(|q| q.skill_id).collect();
            let fresh = p.iter().filter(|q| !i.recent.contains(&q.id)).count();
            let every_skill_has_fresh = skills.iter().all(|s| {
                p.iter()
                    .any(|q| q.skill_id == Some(*s) && !i.recent.contains(&q.id))
            });
            let plan = run(&p, &i);
            let recent_used = plan.iter().filter(|q| i.recent.contains(&q.id)).count();
            if every_skill_has_fresh {
                assert_eq!(recent_used, plan.len().saturating_sub(fresh));
            }
            if fresh >= plan.len() && every_skill_has_fresh {
                assert_eq!(recent_used, 0);
            }
        }
    }

    #[test]
    fn questions_tagged_with_the_type_come_before_others_of_their_skill() {
        let mut checked = 0;
        for (p, i) in cases(2000) {
            let plan = run(&p, &i);
            for q in plan
                .iter()
                .filter(|q| !q.for_type && !i.recent.contains(&q.id))
            {
                let passed_over = p.iter().find(|o| {
                    o.skill_id == q.skill_id
                        && o.for_type
                        && !i.recent.contains(&o.id)
                        && !plan.contains(o)
                        && !theme_in(&plan, o)
                });
                assert_eq!(
                    passed_over, None,
                    "a tagged question was passed over for {q:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 100, "too few cases exercised the rule: {checked}");
    }

    #[test]
    fn the_same_seed_gives_the_same_plan_and_seeds_differ() {
        let mut differ = 0;
        for (p, i) in cases(500) {
            assert_eq!(run(&p, &i), run(&p, &i));
            let other = PlanInputOwned {
                seed: i.seed ^ 1,
                ..i
            };
            if run(&p, &other)
                != run(
                    &p,
                    &PlanInputOwned {
                        seed: other.seed ^ 1,
                        ..other
                    },
                )
            {
                differ += 1;
            }
        }
        assert!(differ > 100, "seeds barely matter: {differ} of 500 differ");
    }

    #[test]
    fn seeds_are_stable() {
        assert_eq!(seed_for(""), 0xcbf2_9ce4_8422_2325);
        assert_ne!(seed_for("a"), seed_for("b"));
    }

    #[test]
    fn adaptive_asks_each_skill_at_its_own_level() {
        // Two skills, each with one question at every level.
        let mut pool = Vec::new();
        for (k, skill) in [SkillId(1), SkillId(2)].into_iter().enumerate() {
            for (d, difficulty) in Difficulty::ALL.iter().enumerate() {
                pool.push(Question {
                    id: QuestionId((k * 10 + d) as i64),
                    skill_id: Some(skill),
                    text: format!("{skill} {difficulty}"),
                    difficulty: Some(*difficulty),
                    theme: None,
                    for_type: false,
                });
            }
        }
        use crate::model::SkillLevel;
        let levels = [
            SkillLevel {
                skill_id: SkillId(1),
                difficulty: Difficulty::Hard,
            },
            SkillLevel {
                skill_id: SkillId(2),
                difficulty: Difficulty::Easy,
            },
        ];
        let plan = plan_questions(&PlanInput {
            pool: &pool,
            count: 4,
            difficulty: DifficultyPlan {
                setting: DifficultySetting::Adaptive,
                levels: &levels,
            },
            recent: &HashSet::new(),
            seed: 3,
        });
        let got: Vec<(SkillId, Option<Difficulty>)> = plan
            .iter()
            .map(|q| (q.skill_id.unwrap(), q.difficulty))
            .collect();
        // Each skill's own level first; when a skill has no more of its level, the nearest
        // others, never the other skill's level before its own.
        assert_eq!(got[0], (SkillId(1), Some(Difficulty::Hard)));
        assert_eq!(got[1], (SkillId(2), Some(Difficulty::Easy)));
        assert_eq!(got.len(), 4);
    }
}
