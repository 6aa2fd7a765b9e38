//! The setup page: title, interview type, skills (the type's suggestions pre-selected and listed
//! first, with a search box), number of questions and difficulty.
//!
//! Hydrated, the form validates with the shared rules and calls `setup_interview`; with
//! JavaScript off it posts to `/interviews/new`, which answers with a redirect to the new
//! interview or back here with the error codes and the entered values in the query.

mod prefill;

use super::{
    Alert, Catalog, CurrentUser, ErrorNote, FieldError, RequireUser, catalog_resource,
    for_signed_in, hydrated_signal,
};
use crate::api::{
    AppError, SetupInterview, SetupOutcome, list_suggested_skills, my_adaptive_levels,
};
use crate::model::{
    ANSWER_TIMES, DifficultySetting, InterviewType, InterviewTypeId, QUESTION_COUNTS, Skill,
    SkillId, SkillLevel, duration_label,
};
use crate::selection::{Selection, matches_search, suggested_first};
use crate::validate::{self, MAX_SKILLS, MAX_TITLE_CHARS, SetupError, SetupInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use prefill::{JobAdForm, Prefill, PrefillNote, PrefillResource, job_ad_in_url, prefill_resource};

#[component]
pub fn SetupPage() -> impl IntoView {
    // Resources are created here, outside every <Suspense>: Leptos may build Suspense children
    // more than once on the server, and a resource created there would not line up with the
    // browser's when hydrating.
    let catalog = catalog_resource();
    let prefill = prefill_resource();
    let user = expect_context::<CurrentUser>();
    // Read only when the page opens with "Adaptive" chosen (a no-JS submission brought it back,
    // or a link): otherwise the island fetches them when the person chooses it, so a plain
    // setup page costs no read of the person's whole rating history.
    let query = use_query_map();
    let wanted = move || query.with(|q| q.get("difficulty").as_deref() == Some("adaptive"));
    let levels: Levels = Resource::new(wanted, move |wanted| async move {
        if wanted {
            for_signed_in(user, my_adaptive_levels).await
        } else {
            Ok(None)
        }
    });
    view! {
        <Title text="Set up an interview" />
        <RequireUser>
            <SetupLoader catalog prefill levels />
        </RequireUser>
    }
}

#[component]
fn SetupLoader(catalog: Catalog, prefill: PrefillResource, levels: Levels) -> impl IntoView {
    view! {
        <section class="panel">
            <h1>"Set up an interview"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading interview types and skills…"</p> }>
                // A `Suspend`, not a closure: built once (see `RequireUser`).
                {Suspend::new(async move {
                    let (catalog, prefill, levels) = (catalog.await, prefill.await, levels.await);
                    let (types, skills) = match catalog {
                        Ok(c) => c,
                        Err(e) => return view! { <ErrorNote error=e /> }.into_any(),
                    };
                    // A refused job ad is said beside it; the form still works.
                    let (prefill, ad_error) = match prefill {
                        Ok(p) => (p, None),
                        Err(AppError::Invalid(m)) => (None, Some(m)),
                        Err(e) => return view! { <ErrorNote error=e /> }.into_any(),
                    };
                    let (initial, errors) = initial_with(prefill.as_ref());
                    // Without them the form works; only the adaptive levels are not shown.
                    let levels = levels.ok().flatten().unwrap_or_default();
                    view! {
                        <JobAdForm ad=job_ad_in_url() error=ad_error />
                        <SetupForm types skills initial errors prefill levels />
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// Each skill's adaptive level for the signed-in user, and why.
type Levels = Resource<Result<Option<Vec<(SkillLevel, String)>>, AppError>>;

/// The form's starting values: what a no-JS submission brought back, else the pre-fill's
/// skills and type.
fn initial_with(prefill: Option<&Prefill>) -> (SetupInput, Vec<String>) {
    let (mut initial, errors) = initial_from_query();
    if let Some(p) = prefill {
        if initial.skill_ids.is_empty() {
            initial.skill_ids = p.skills.iter().map(|(id, _)| *id).collect();
        }
        if initial.interview_type_id.is_none() {
            initial.interview_type_id = p.interview_type_id;
        }
    }
    (
        initial,
        errors.iter().map(|e| e.code().to_owned()).collect(),
    )
}

/// Values and errors a no-JS submission brought back in the query (in the form's own keys,
/// `SetupInput::to_pairs`).
fn initial_from_query() -> (SetupInput, Vec<SetupError>) {
    let q = use_query_map().get_untracked();
    let (input, _) = SetupInput::from_pairs(q.clone());
    let errors = q
        .get("errors")
        .unwrap_or_default()
        .split(',')
        .filter_map(SetupError::from_code)
        .collect();
    (input, errors)
}

/// The form's state: every field and error as a signal, so it is `Copy` and each field's
/// component holds it whole.
#[derive(Clone, Copy)]
struct SetupState {
    title: RwSignal<String>,
    type_id: RwSignal<Option<InterviewTypeId>>,
    selection: RwSignal<Selection>,
    /// The chosen type's suggested skills.
    suggested: RwSignal<Vec<SkillId>>,
    search: RwSignal<String>,
    question_count: RwSignal<String>,
    difficulty: RwSignal<DifficultySetting>,
    /// The per-question timer as the select holds it ("" for none).
    answer_seconds: RwSignal<String>,
    /// Each skill's adaptive level and why, once known (`choose_difficulty`).
    levels: RwSignal<Vec<(SkillLevel, String)>>,
    errors: RwSignal<Vec<SetupError>>,
    /// Creating the interview: pending while it runs, its answer once it is back.
    save: ServerAction<SetupInterview>,
}

impl SetupState {
    fn new(
        initial: &SetupInput,
        errors: Vec<SetupError>,
        levels: Vec<(SkillLevel, String)>,
    ) -> SetupState {
        SetupState {
            title: RwSignal::new(initial.title.clone()),
            type_id: RwSignal::new(initial.interview_type_id),
            selection: RwSignal::new(Selection {
                selected: initial.skill_ids.iter().copied().collect(),
                picked: initial.skill_ids.iter().copied().collect(),
                dropped: Default::default(),
            }),
            suggested: RwSignal::new(Vec::new()),
            search: RwSignal::new(String::new()),
            question_count: RwSignal::new(initial.question_count.to_string()),
            difficulty: RwSignal::new(initial.difficulty),
            answer_seconds: RwSignal::new(
                initial
                    .answer_seconds
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
            ),
            levels: RwSignal::new(levels),
            errors: RwSignal::new(errors),
            save: ServerAction::new(),
        }
    }

    /// Choosing "Adaptive" fetches each skill's level the first time.
    fn choose_difficulty(self, difficulty: DifficultySetting) {
        self.difficulty.set(difficulty);
        if difficulty == DifficultySetting::Adaptive && self.levels.with_untracked(Vec::is_empty) {
            spawn_local(async move {
                if let Ok(levels) = my_adaptive_levels().await {
                    self.levels.set(levels);
                }
            });
        }
    }

    /// Choosing a type fetches its suggestions and re-applies them to the selection. A reply
    /// for a type that is no longer chosen (the user switched again meanwhile) is ignored.
    fn choose_type(self, id: Option<InterviewTypeId>) {
        self.type_id.set(id);
        self.clear_error("interview_type_id");
        let Some(id) = id else {
            self.suggested.set(Vec::new());
            self.selection.update(|s| s.switch_type(&[]));
            return;
        };
        spawn_local(async move {
            if let Ok(list) = list_suggested_skills(id).await
                && self.type_id.get_untracked() == Some(id)
            {
                let ids: Vec<SkillId> = list.iter().map(|s| s.id).collect();
                self.selection.update(|s| s.switch_type(&ids));
                self.suggested.set(ids);
            }
        });
    }

    fn clear_error(self, field: &'static str) {
        self.errors.update(|e| e.retain(|e| e.field() != field));
    }

    fn input(self) -> SetupInput {
        SetupInput {
            title: self.title.get_untracked(),
            interview_type_id: self.type_id.get_untracked(),
            skill_ids: self
                .selection
                .with_untracked(|s| s.selected.iter().copied().collect()),
            question_count: self
                .question_count
                .get_untracked()
                .trim()
                .parse()
                .unwrap_or(0),
            difficulty: self.difficulty.get_untracked(),
            answer_seconds: self
                .answer_seconds
                .with_untracked(|s| (!s.is_empty()).then(|| s.parse().unwrap_or(0))),
        }
    }

    /// Checks with the shared rules, then creates the interview (`saved` takes the answer).
    fn submit(self, type_ids: &[InterviewTypeId], skill_ids: &[SkillId]) {
        let input = self.input();
        let found = validate::setup(&input, type_ids, skill_ids);
        self.errors.set(found.clone());
        if found.is_empty() && !self.save.pending().get_untracked() {
            self.save.dispatch(SetupInterview { input });
        }
    }

    /// The server's answer: go to the new interview, or show its problems beside the fields.
    fn saved(self) {
        match self.save.value().get() {
            Some(Ok(SetupOutcome::Saved(interview))) => {
                super::go_to(&format!("/interviews/{}", interview.id))
            }
            Some(Ok(SetupOutcome::Invalid(codes))) => self.errors.set(
                codes
                    .iter()
                    .filter_map(|c| SetupError::from_code(c))
                    .collect(),
            ),
            _ => {}
        }
    }

    /// A failure of the request itself (not of the rules), to show above the form.
    fn server_error(self) -> Option<String> {
        self.save.value().get()?.err().map(|e| e.to_string())
    }

    /// The error to show beside `field`, if any.
    fn error_for(self, field: &'static str) -> impl IntoView {
        move || {
            self.errors
                .get()
                .into_iter()
                .find(|e| e.field() == field)
                .map(|e| view! { <FieldError id=format!("{field}-error") message=e.to_string() /> })
        }
    }

    fn invalid(self, field: &'static str) -> impl Fn() -> String + Copy {
        move || {
            self.errors
                .with(|e| e.iter().any(|e| e.field() == field))
                .to_string()
        }
    }
}

/// The form, hydrated on its own (an island): `initial` and the error codes in `errors` are
/// what a submission without JavaScript brought back.
#[cfg_attr(feature = "split", island(lazy))]
#[cfg_attr(not(feature = "split"), island)]
fn SetupForm(
    types: Vec<InterviewType>,
    skills: Vec<Skill>,
    initial: SetupInput,
    errors: Vec<String>,
    /// Skills chosen for the person (weak skills, a job ad's), with why.
    prefill: Option<Prefill>,
    /// Each skill's adaptive level for this person, and why; shown when "Adaptive" is chosen.
    levels: Vec<(SkillLevel, String)>,
) -> impl IntoView {
    let hydrated = hydrated_signal();
    let errors = errors
        .iter()
        .filter_map(|c| SetupError::from_code(c))
        .collect();
    let form = SetupState::new(&initial, errors, levels);
    Effect::new(move |_| form.saved());
    let type_ids: Vec<InterviewTypeId> = types.iter().map(|t| t.id).collect();
    let skill_ids: Vec<SkillId> = skills.iter().map(|s| s.id).collect();
    view! {
        <form method="post" action="/interviews/new" class="stack setup" novalidate
            on:submit=move |ev| { ev.prevent_default(); form.submit(&type_ids, &skill_ids); }
            data-hydrated=move || hydrated.get().to_string()>
            {move || form.server_error().map(|e| view! { <Alert message=e /> })}
            <TitleField form initial=initial.title.clone() />
            <TypeField form types initial=initial.interview_type_id />
            {prefill.as_ref().map(|p| view! { <PrefillNote source=p.source empty=p.skills.is_empty() model_note=p.model_note.clone() /> })}
            <SkillsField form skills initial=initial.skill_ids.clone() prefill />
            <CountAndDifficulty form initial=initial.clone() />
            <button type="submit" class="primary" disabled=move || form.save.pending().get()>
                {move || if form.save.pending().get() { "Creating…" } else { "Create interview" }}
            </button>
        </form>
    }
}

#[component]
fn TitleField(form: SetupState, initial: String) -> impl IntoView {
    view! {
        <label for="title">"Title"</label>
        <input id="title" name="title" type="text" autocomplete="off"
            placeholder="e.g. Backend engineer, final round"
            prop:value=move || form.title.get() value=initial
            on:input=move |ev| form.title.set(event_target_value(&ev))
            aria-invalid=form.invalid("title") aria-describedby="title-count" />
        <p class="hint" id="title-count" aria-live="polite">
            {move || format!("{} / {MAX_TITLE_CHARS} characters", form.title.with(|t| t.trim().chars().count()))}
        </p>
        {form.error_for("title")}
    }
}

#[component]
fn TypeField(
    form: SetupState,
    types: Vec<InterviewType>,
    initial: Option<InterviewTypeId>,
) -> impl IntoView {
    let descriptions: Vec<(InterviewTypeId, String)> = types
        .iter()
        .map(|t| (t.id, t.description.clone().unwrap_or_default()))
        .collect();
    let description = move || {
        let chosen = form.type_id.get()?;
        descriptions
            .iter()
            .find(|(t, _)| *t == chosen)
            .map(|(_, d)| d.clone())
    };
    view! {
        <label for="interview_type_id">"Interview type"</label>
        <select id="interview_type_id" name="interview_type_id"
            aria-invalid=form.invalid("interview_type_id") aria-describedby="type-description"
            on:change=move |ev| form.choose_type(event_target_value(&ev).parse().ok())>
            <option value="" selected=initial.is_none()>"Choose a type…"</option>
            {types.into_iter().map(|t| {
                let id = t.id;
                view! {
                    <option value=id.to_string() selected=initial == Some(id)
                        prop:selected=move || form.type_id.get() == Some(id)>
                        {t.name}
                    </option>
                }
            }).collect_view()}
        </select>
        <p class="hint" id="type-description">
            {move || description().unwrap_or_else(|| "The type sets the interview's style and suggests skills.".into())}
        </p>
        {form.error_for("interview_type_id")}
    }
}

#[component]
fn SkillsField(
    form: SetupState,
    skills: Vec<Skill>,
    initial: Vec<SkillId>,
    prefill: Option<Prefill>,
) -> impl IntoView {
    let names: Vec<String> = skills.iter().map(|s| s.name.clone()).collect();
    let ordered = move || {
        form.suggested
            .with(|ids| suggested_first(&skills, |s| s.id, ids))
    };
    view! {
        <fieldset class="skills" aria-describedby="skills-count">
            <legend>"Skills"</legend>
            <label for="skill-search" class="visually-hidden">"Filter skills"</label>
            <input id="skill-search" type="search" placeholder="Filter skills…" autocomplete="off"
                on:input=move |ev| form.search.set(event_target_value(&ev)) />
            <p class="hint" id="skills-count" aria-live="polite">
                {move || format!("{} selected (up to {MAX_SKILLS})", form.selection.with(|s| s.selected.len()))}
            </p>
            {form.error_for("skill_ids")}
            <ul class="checklist">
                {skill_rows(ordered, move |skill: Skill| {
                    let initially = initial.contains(&skill.id);
                    let why = prefill.as_ref().and_then(|p| p.reason(skill.id));
                    view! { <SkillOption form skill initially why /> }
                })}
            </ul>
            <p class="empty" hidden=move || form.search.with(|q| names.iter().any(|n| matches_search(n, q)))>
                "No skill matches that filter."
            </p>
        </fieldset>
    }
}

/// The skills' rows. In the browser a keyed `For`, so rows move (keeping their state) when
/// the suggestions change.
#[cfg(not(feature = "ssr"))]
fn skill_rows<V: IntoView + 'static>(
    ordered: impl Fn() -> Vec<Skill> + Send + 'static,
    row: impl Fn(Skill) -> V + Send + Clone + 'static,
) -> impl IntoView {
    view! { <For each=ordered key=|s| s.id children=row /> }
}

/// On the server the same rows as a plain list, which renders the same HTML: `For` is a
/// closure, and Leptos's `Suspense` builds a closure's view afresh each time it walks its
/// children (twice before rendering), so every row was built three times a request (measured:
/// the setup page served 15 % more pages a second as a plain list).
#[cfg(feature = "ssr")]
fn skill_rows<V: IntoView + 'static>(
    ordered: impl Fn() -> Vec<Skill> + Send + 'static,
    row: impl Fn(Skill) -> V + Send + Clone + 'static,
) -> impl IntoView {
    untrack(ordered).into_iter().map(row).collect_view()
}

#[component]
fn SkillOption(
    form: SetupState,
    skill: Skill,
    initially: bool,
    why: Option<String>,
) -> impl IntoView {
    let id = skill.id;
    // The skill's adaptive level and why, while "Adaptive" is chosen and once it is known.
    let level = move || {
        (form.difficulty.get() == DifficultySetting::Adaptive)
            .then(|| {
                form.levels.with(|l| {
                    l.iter()
                        .find(|(l, _)| l.skill_id == id)
                        .map(|(_, why)| why.clone())
                })
            })
            .flatten()
    };
    let name = skill.name.clone();
    let shown = move || form.search.with(|q| matches_search(&name, q));
    let is_suggested = move || form.suggested.with(|s| s.contains(&id));
    view! {
        <li class:suggested=is_suggested hidden=move || !shown()>
            <label>
                <input type="checkbox" name="skill_ids" value=id.to_string()
                    checked=initially
                    prop:checked=move || form.selection.with(|s| s.selected.contains(&id))
                    on:change=move |ev| {
                        form.selection.update(|s| s.toggle(id, event_target_checked(&ev)));
                        form.clear_error("skill_ids");
                    } />
                <span class="skill-name">{skill.name}</span>
                // A closure, not <Show>: <Show> gives each of the skills its own reactive owner.
                {move || is_suggested().then(|| view! { <span class="badge">"Suggested"</span> })}
                {why.map(|why| view! { <span class="why">{why}</span> })}
                {move || level().map(|level| view! {
                    <span class="why level">{format!("Adaptive: {level}")}</span>
                })}
            </label>
        </li>
    }
}

#[component]
fn CountAndDifficulty(form: SetupState, initial: SetupInput) -> impl IntoView {
    view! {
        <div class="row">
            <div class="stack">
                <label for="question_count">"Number of questions"</label>
                <input id="question_count" name="question_count" type="number"
                    min=QUESTION_COUNTS.start().to_string() max=QUESTION_COUNTS.end().to_string()
                    value=initial.question_count.to_string()
                    prop:value=move || form.question_count.get()
                    on:input=move |ev| form.question_count.set(event_target_value(&ev))
                    aria-invalid=form.invalid("question_count") />
                {form.error_for("question_count")}
            </div>
            <div class="stack">
                <label for="difficulty">"Difficulty"</label>
                <select id="difficulty" name="difficulty"
                    on:change=move |ev| form.choose_difficulty(event_target_value(&ev).parse().unwrap_or(DifficultySetting::Mixed))>
                    {DifficultySetting::ALL.iter().map(|d| view! {
                        <option value=d.as_str() selected=*d == initial.difficulty>{d.label()}</option>
                    }).collect_view()}
                </select>
                {move || (form.difficulty.get() == DifficultySetting::Adaptive).then(|| view! {
                    <p class="hint" role="status">
                        "Each skill is asked at its own level, shown beside it: from medium, up one after two ratings of 4 or 5 in a row, down one after a 1 or 2, reading your last six ratings of the skill."
                    </p>
                })}
            </div>
            <AnswerTime form initial=initial.answer_seconds />
        </div>
    }
    // Type-erased: the form's view type nested this deep overflowed a 2 MiB stack in debug
    // builds when rendered on the server.
    .into_any()
}

/// The optional per-question timer: a countdown during the interview, and the time each
/// answer took in the report.
#[component]
fn AnswerTime(form: SetupState, initial: Option<u16>) -> impl IntoView {
    view! {
        <div class="stack">
            <label for="answer_seconds">"Time per answer"</label>
            <select id="answer_seconds" name="answer_seconds" aria-describedby="answer_seconds-hint"
                aria-invalid=form.invalid("answer_seconds")
                on:change=move |ev| {
                    form.answer_seconds.set(event_target_value(&ev));
                    form.clear_error("answer_seconds");
                }>
                <option value="" selected=initial.is_none()>"No timer"</option>
                {ANSWER_TIMES.iter().map(|s| view! {
                    <option value=s.to_string() selected=initial == Some(*s)>
                        {duration_label(u32::from(*s))}
                    </option>
                }).collect_view()}
            </select>
            <p class="hint" id="answer_seconds-hint">
                "A countdown for your first answer to each question; the report shows how long each answer took."
            </p>
            {form.error_for("answer_seconds")}
        </div>
    }
}
