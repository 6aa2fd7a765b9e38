//! Input rules shared by the forms (to explain them) and the server (to enforce them).

use std::fmt;
use std::ops::RangeInclusive;

/// Why account input was refused. Travels as a short code in the sign-in and registration
/// redirects (`?error=username_taken`): a code, not text, so no one can craft a link that makes
/// the page say something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountError {
    UsernameLength,
    UsernameChars,
    PasswordShort,
    PasswordLong,
    PasswordWeak,
    EmailLong,
    EmailInvalid,
    UsernameTaken,
    /// Unknown user or wrong password: the same answer for both.
    WrongCredentials,
    TooManyAttempts,
    /// Deleting the account without ticking "I understand".
    ConfirmDelete,
}

impl AccountError {
    const ALL: [AccountError; 11] = [
        Self::UsernameLength,
        Self::UsernameChars,
        Self::PasswordShort,
        Self::PasswordLong,
        Self::PasswordWeak,
        Self::EmailLong,
        Self::EmailInvalid,
        Self::UsernameTaken,
        Self::WrongCredentials,
        Self::TooManyAttempts,
        Self::ConfirmDelete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::UsernameLength => "username_length",
            Self::UsernameChars => "username_chars",
            Self::PasswordShort => "password_short",
            Self::PasswordLong => "password_long",
            Self::PasswordWeak => "password_weak",
            Self::EmailLong => "email_long",
            Self::EmailInvalid => "email_invalid",
            Self::UsernameTaken => "username_taken",
            Self::WrongCredentials => "wrong_credentials",
            Self::TooManyAttempts => "too_many_attempts",
            Self::ConfirmDelete => "confirm_delete",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The form field the error belongs beside.
    pub fn field(self) -> &'static str {
        match self {
            Self::UsernameLength | Self::UsernameChars | Self::UsernameTaken => "username",
            Self::PasswordShort | Self::PasswordLong | Self::PasswordWeak => "password",
            Self::EmailLong | Self::EmailInvalid => "email",
            Self::WrongCredentials | Self::TooManyAttempts | Self::ConfirmDelete => "form",
        }
    }
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (u, p) = (USERNAME_CHARS, PASSWORD_CHARS);
        match self {
            Self::UsernameLength => write!(
                f,
                "A username must be {} to {} characters long.",
                u.start(),
                u.end()
            ),
            Self::UsernameChars => {
                f.write_str("A username may contain only letters, digits, '.', '_' and '-'.")
            }
            Self::PasswordShort => {
                write!(f, "Choose a password of at least {} characters.", p.start())
            }
            Self::PasswordLong => {
                write!(f, "A password can be at most {} characters long.", p.end())
            }
            Self::PasswordWeak => f.write_str(
                "That password is too easy to guess. Try a few unrelated words together.",
            ),
            Self::EmailLong => write!(
                f,
                "An email address can be at most {MAX_EMAIL_CHARS} characters long."
            ),
            Self::EmailInvalid => f.write_str("That is not an email address."),
            Self::UsernameTaken => {
                f.write_str("That username is taken. Choose another, or sign in.")
            }
            Self::WrongCredentials => f.write_str("Wrong username or password."),
            Self::TooManyAttempts => {
                f.write_str("Too many failed attempts. Wait a little and try again.")
            }
            Self::ConfirmDelete => f.write_str(
                "Tick the box to confirm that your account and all its interviews will be deleted.",
            ),
        }
    }
}

pub const USERNAME_CHARS: RangeInclusive<usize> = 3..=32;
pub const PASSWORD_CHARS: RangeInclusive<usize> = 10..=128;
pub const MAX_EMAIL_CHARS: usize = 254;

/// Usernames are 3–32 letters, digits, `.`, `_` or `-`. Returns the trimmed name.
pub fn username(raw: &str) -> Result<String, AccountError> {
    let name = raw.trim();
    let len = name.chars().count();
    if !USERNAME_CHARS.contains(&len) {
        return Err(AccountError::UsernameLength);
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(AccountError::UsernameChars);
    }
    Ok(name.to_owned())
}

/// Passwords of 10–128 characters that are not trivially guessable. The upper bound keeps
/// hashing cost bounded; the rest follows NIST 800-63B: length over composition rules.
pub fn new_password(password: &str, username: &str) -> Result<(), AccountError> {
    let len = password.chars().count();
    if len < *PASSWORD_CHARS.start() {
        return Err(AccountError::PasswordShort);
    }
    if len > *PASSWORD_CHARS.end() {
        return Err(AccountError::PasswordLong);
    }
    let lower = password.to_lowercase();
    let distinct = {
        let mut chars: Vec<char> = lower.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    let common = [
        "password",
        "12345",
        "qwerty",
        "letmein",
        "welcome",
        "iloveyou",
        "abc123",
        "111111",
        "perfectpitch",
        "perfect-pitch",
    ];
    if distinct < 4
        // A common word with only digits or symbols around it.
        || common.iter().any(|c| {
            lower.contains(c) && !lower.replacen(c, "", 1).chars().any(char::is_alphabetic)
        })
        || (!username.trim().is_empty() && lower.contains(&username.trim().to_lowercase()))
    {
        return Err(AccountError::PasswordWeak);
    }
    Ok(())
}

/// An optional email address: blank is none. Returns the trimmed address.
pub fn email(raw: &str) -> Result<Option<String>, AccountError> {
    let email = raw.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(AccountError::EmailLong);
    }
    let (local, domain) = email.split_once('@').unwrap_or(("", ""));
    if local.is_empty()
        || domain.len() < 3
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.chars().any(char::is_whitespace)
    {
        return Err(AccountError::EmailInvalid);
    }
    Ok(Some(email.to_owned()))
}

/// Where to go after signing in: only paths on this site, never another origin.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(username("  ada_l.ove-1 ").unwrap(), "ada_l.ove-1");
        for bad in ["ab", "has space", "émile", &"x".repeat(33), "semi;colon"] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(new_password("correct horse battery", "ada").is_ok());
        assert_eq!(
            new_password("short", "ada"),
            Err(AccountError::PasswordShort)
        );
        assert_eq!(
            new_password(&"abcd".repeat(33), "ada"),
            Err(AccountError::PasswordLong)
        );
        for weak in [
            "aaaaaaaaaaaa",
            "password123",
            "1212121212",
            "qwerty2024!",
            "ada-is-great-2024",
        ] {
            assert_eq!(
                new_password(weak, "ada"),
                Err(AccountError::PasswordWeak),
                "{weak}"
            );
        }
        // 128 multi-byte characters are fine: the limit counts characters.
        assert!(new_password(&"çàéü".repeat(32), "ada").is_ok());
    }

    #[test]
    fn emails() {
        assert_eq!(email("  ").unwrap(), None);
        assert_eq!(email(" a@b.io ").unwrap().as_deref(), Some("a@b.io"));
        for bad in ["no-at", "@b.io", "a@b", "a@.io", "a b@c.io", "a@io."] {
            assert!(email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn error_codes_round_trip_and_have_messages() {
        for e in AccountError::ALL {
            assert_eq!(AccountError::from_code(e.code()), Some(e));
            assert!(e.to_string().ends_with('.'), "{e:?}");
        }
        assert_eq!(AccountError::from_code("<script>"), None);
    }

    #[test]
    fn next_paths_stay_on_this_site() {
        assert_eq!(local_path("/interviews?page=2"), Some("/interviews?page=2"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\nb",
            "",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}

// ---------------------------------------------------------------- interview setup

use crate::model::{DifficultySetting, InterviewTypeId, QUESTION_COUNTS, SkillId};

/// The setup's limits; the store enforces the same ones (it re-exports these).
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_SKILLS: usize = 10;

/// What the setup form submits. Absent fields take their empty or default values (query-string
/// encodings drop empty lists), and the rules then say what is missing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SetupInput {
    pub title: String,
    pub interview_type_id: Option<InterviewTypeId>,
    pub skill_ids: Vec<SkillId>,
    pub question_count: u8,
    pub difficulty: DifficultySetting,
    /// The per-question timer in seconds; `None` for none.
    pub answer_seconds: Option<u16>,
}

impl Default for SetupInput {
    fn default() -> Self {
        SetupInput {
            title: String::new(),
            interview_type_id: None,
            skill_ids: Vec::new(),
            question_count: crate::model::DEFAULT_QUESTION_COUNT,
            difficulty: DifficultySetting::Mixed,
            answer_seconds: None,
        }
    }
}

impl SetupInput {
    /// Reads a setup from form or query pairs — the no-JavaScript form post, the redirect that
    /// brings its values back, the page's query — with the same keys everywhere (checkbox
    /// lists repeat `skill_ids`). A type or skill that is not a number is dropped and reported
    /// as unknown, beside its field.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> (SetupInput, Vec<SetupError>) {
        let mut input = SetupInput::default();
        let mut unreadable = Vec::new();
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            match key.as_ref() {
                "title" => input.title = value.to_owned(),
                "interview_type_id" if value.is_empty() => input.interview_type_id = None,
                "interview_type_id" => match value.parse() {
                    Ok(id) => input.interview_type_id = Some(id),
                    Err(_) => unreadable.push(SetupError::TypeUnknown),
                },
                "skill_ids" => match value.parse() {
                    Ok(id) => input.skill_ids.push(id),
                    Err(_) => unreadable.push(SetupError::SkillUnknown),
                },
                "question_count" if value.is_empty() => {}
                // Out of range or not a number: the rules report it.
                "question_count" => input.question_count = value.parse().unwrap_or(0),
                "difficulty" => {
                    input.difficulty = value.parse().unwrap_or(DifficultySetting::Mixed)
                }
                "answer_seconds" if value.is_empty() => input.answer_seconds = None,
                // Not a number: 0, which the rules refuse beside the field.
                "answer_seconds" => input.answer_seconds = Some(value.parse().unwrap_or(0)),
                _ => {}
            }
        }
        // One error per field, however many of its values could not be read (in the order
        // first met).
        let mut seen = Vec::new();
        unreadable.retain(|e| {
            let new = !seen.contains(e);
            seen.push(*e);
            new
        });
        (input, unreadable)
    }

    /// The pairs [`SetupInput::from_pairs`] reads back.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("title", self.title.clone())];
        if let Some(id) = self.interview_type_id {
            pairs.push(("interview_type_id", id.to_string()));
        }
        pairs.extend(
            self.skill_ids
                .iter()
                .map(|id| ("skill_ids", id.to_string())),
        );
        pairs.push(("question_count", self.question_count.to_string()));
        pairs.push(("difficulty", self.difficulty.as_str().to_owned()));
        if let Some(s) = self.answer_seconds {
            pairs.push(("answer_seconds", s.to_string()));
        }
        pairs
    }
}

/// [`setup`]'s errors with what could not even be read put in place of the error for the
/// same field (an unreadable type is unknown, not missing).
pub fn with_unreadable(mut errors: Vec<SetupError>, unreadable: &[SetupError]) -> Vec<SetupError> {
    for u in unreadable {
        errors.retain(|e| e.field() != u.field());
        errors.push(*u);
    }
    errors
}

/// Why a setup was refused; each belongs beside one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupError {
    TitleEmpty,
    TitleLong,
    TypeMissing,
    TypeUnknown,
    SkillsNone,
    SkillsTooMany,
    SkillUnknown,
    QuestionCount,
    AnswerTime,
}

impl SetupError {
    const ALL: [SetupError; 9] = [
        Self::TitleEmpty,
        Self::TitleLong,
        Self::TypeMissing,
        Self::TypeUnknown,
        Self::SkillsNone,
        Self::SkillsTooMany,
        Self::SkillUnknown,
        Self::QuestionCount,
        Self::AnswerTime,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::TitleEmpty => "title_empty",
            Self::TitleLong => "title_long",
            Self::TypeMissing => "type_missing",
            Self::TypeUnknown => "type_unknown",
            Self::SkillsNone => "skills_none",
            Self::SkillsTooMany => "skills_too_many",
            Self::SkillUnknown => "skill_unknown",
            Self::QuestionCount => "question_count",
            Self::AnswerTime => "answer_time",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn field(self) -> &'static str {
        match self {
            Self::TitleEmpty | Self::TitleLong => "title",
            Self::TypeMissing | Self::TypeUnknown => "interview_type_id",
            Self::SkillsNone | Self::SkillsTooMany | Self::SkillUnknown => "skill_ids",
            Self::QuestionCount => "question_count",
            Self::AnswerTime => "answer_seconds",
        }
    }
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TitleEmpty => f.write_str("Give the interview a title."),
            Self::TitleLong => write!(
                f,
                "Keep the title to {MAX_TITLE_CHARS} characters or fewer."
            ),
            Self::TypeMissing => f.write_str("Choose an interview type."),
            Self::TypeUnknown => {
                f.write_str("That interview type no longer exists; choose another.")
            }
            Self::SkillsNone => f.write_str("Choose at least one skill."),
            Self::SkillsTooMany => write!(f, "Choose at most {MAX_SKILLS} skills."),
            Self::SkillUnknown => {
                f.write_str("One of the chosen skills no longer exists; check the list.")
            }
            Self::QuestionCount => write!(
                f,
                "Choose between {} and {} questions.",
                QUESTION_COUNTS.start(),
                QUESTION_COUNTS.end()
            ),
            Self::AnswerTime => f.write_str("Choose a time per answer from the list, or no timer."),
        }
    }
}

/// Checks a setup against the types and skills that exist. Returns every problem (at most one
/// per field), so the form can show them all at once; empty means valid.
pub fn setup(
    input: &SetupInput,
    known_types: &[InterviewTypeId],
    known_skills: &[SkillId],
) -> Vec<SetupError> {
    let mut errors = Vec::new();
    let title_chars = input.title.trim().chars().count();
    if title_chars == 0 {
        errors.push(SetupError::TitleEmpty);
    } else if title_chars > MAX_TITLE_CHARS {
        errors.push(SetupError::TitleLong);
    }
    errors.extend(type_choice(input.interview_type_id, known_types));
    errors.extend(skill_choice(&input.skill_ids, known_skills));
    if !QUESTION_COUNTS.contains(&input.question_count) {
        errors.push(SetupError::QuestionCount);
    }
    if !crate::model::answer_time_allowed(input.answer_seconds) {
        errors.push(SetupError::AnswerTime);
    }
    errors
}

/// The interview type rule: one is required and it must exist.
pub fn type_choice(
    interview_type_id: Option<InterviewTypeId>,
    known_types: &[InterviewTypeId],
) -> Option<SetupError> {
    match interview_type_id {
        None => Some(SetupError::TypeMissing),
        Some(id) if !known_types.contains(&id) => Some(SetupError::TypeUnknown),
        Some(_) => None,
    }
}

/// The skills rule: 1 to 10 distinct skills, all of which exist.
pub fn skill_choice(skill_ids: &[SkillId], known_skills: &[SkillId]) -> Option<SetupError> {
    let mut skills = skill_ids.to_vec();
    skills.sort_unstable();
    skills.dedup();
    if skills.is_empty() {
        Some(SetupError::SkillsNone)
    } else if skills.len() > MAX_SKILLS {
        Some(SetupError::SkillsTooMany)
    } else if skills.iter().any(|s| !known_skills.contains(s)) {
        Some(SetupError::SkillUnknown)
    } else {
        None
    }
}

#[cfg(test)]
mod setup_tests {
    use super::*;

    fn types(ids: &[i64]) -> Vec<InterviewTypeId> {
        ids.iter().copied().map(InterviewTypeId).collect()
    }

    fn skills(ids: &[i64]) -> Vec<SkillId> {
        ids.iter().copied().map(SkillId).collect()
    }

    #[test]
    fn the_setup_codec_reads_back_what_it_writes() {
        let input = SetupInput {
            title: "Final round & co".into(),
            interview_type_id: Some(InterviewTypeId(2)),
            skill_ids: skills(&[3, 9, 1]),
            question_count: 8,
            difficulty: DifficultySetting::Hard,
            answer_seconds: Some(120),
        };
        let encoded = serde_urlencoded::to_string(input.to_pairs()).unwrap();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&encoded).unwrap();
        assert_eq!(SetupInput::from_pairs(pairs), (input, vec![]));
        let untimed = SetupInput {
            answer_seconds: None,
            ..SetupInput::default()
        };
        let pairs = untimed.to_pairs();
        assert!(pairs.iter().all(|(k, _)| *k != "answer_seconds"));
        assert_eq!(SetupInput::from_pairs(pairs).0, untimed);
    }

    #[test]
    fn the_timer_is_none_or_one_of_the_choices() {
        for (value, timer, ok) in [
            ("", None, true),
            ("60", Some(60), true),
            ("600", Some(600), true),
            ("45", Some(45), false),
            ("two minutes", Some(0), false),
            ("99999", Some(0), false),
        ] {
            let (read, _) = SetupInput::from_pairs([("answer_seconds", value)]);
            assert_eq!(read.answer_seconds, timer, "{value:?}");
            let errors = setup(
                &SetupInput {
                    answer_seconds: timer,
                    ..input()
                },
                &types(&[1]),
                &skills(&[1, 2]),
            );
            assert_eq!(errors.is_empty(), ok, "{value:?}: {errors:?}");
            if !ok {
                assert_eq!(errors, vec![SetupError::AnswerTime]);
                assert_eq!(errors[0].field(), "answer_seconds");
            }
        }
    }

    #[test]
    fn several_unreadable_values_of_a_field_give_it_one_error() {
        let (_, unreadable) = SetupInput::from_pairs([
            ("skill_ids", "zwei"),
            ("interview_type_id", "one"),
            ("skill_ids", "two"),
        ]);
        assert_eq!(
            unreadable,
            vec![SetupError::SkillUnknown, SetupError::TypeUnknown]
        );
    }

    #[test]
    fn unreadable_ids_are_unknown_beside_their_field_not_sentinels() {
        let (input, unreadable) = SetupInput::from_pairs([
            ("title", "x"),
            ("interview_type_id", "one"),
            ("skill_ids", "2"),
            ("skill_ids", "two"),
        ]);
        assert_eq!(input.interview_type_id, None);
        assert_eq!(input.skill_ids, vec![SkillId(2)]);
        let errors = with_unreadable(setup(&input, &types(&[1]), &skills(&[2])), &unreadable);
        assert_eq!(
            errors,
            vec![SetupError::TypeUnknown, SetupError::SkillUnknown]
        );
    }

    fn input() -> SetupInput {
        SetupInput {
            title: "Backend loop".into(),
            interview_type_id: Some(InterviewTypeId(1)),
            skill_ids: skills(&[1, 2]),
            question_count: 6,
            difficulty: DifficultySetting::Mixed,
            answer_seconds: None,
        }
    }

    #[test]
    fn a_good_setup_passes() {
        assert_eq!(
            setup(&input(), &types(&[1, 2]), &skills(&[1, 2, 3])),
            vec![]
        );
    }

    #[test]
    fn every_problem_is_reported_beside_its_field() {
        let bad = SetupInput {
            title: "x".repeat(121),
            interview_type_id: None,
            skill_ids: vec![],
            question_count: 13,
            ..input()
        };
        let errors = setup(&bad, &types(&[1]), &skills(&[1]));
        assert_eq!(
            errors,
            vec![
                SetupError::TitleLong,
                SetupError::TypeMissing,
                SetupError::SkillsNone,
                SetupError::QuestionCount
            ]
        );
        let fields: Vec<_> = errors.iter().map(|e| e.field()).collect();
        assert_eq!(
            fields,
            ["title", "interview_type_id", "skill_ids", "question_count"]
        );
    }

    #[test]
    fn limits_count_trimmed_characters_and_distinct_skills() {
        let ok = SetupInput {
            title: format!("  {}  ", "é".repeat(120)),
            ..input()
        };
        assert_eq!(setup(&ok, &types(&[1]), &skills(&[1, 2])), vec![]);
        let blank = SetupInput {
            title: "   ".into(),
            ..input()
        };
        assert_eq!(
            setup(&blank, &types(&[1]), &skills(&[1, 2])),
            vec![SetupError::TitleEmpty]
        );
        let repeated = SetupInput {
            skill_ids: vec![SkillId(1); 11],
            ..input()
        };
        assert_eq!(
            setup(&repeated, &types(&[1]), &skills(&[1])),
            vec![],
            "eleven copies of one skill are one skill"
        );
        let eleven = SetupInput {
            skill_ids: (1..=11).map(SkillId).collect(),
            ..input()
        };
        assert_eq!(
            setup(
                &eleven,
                &types(&[1]),
                &(1..=11).map(SkillId).collect::<Vec<_>>()
            ),
            vec![SetupError::SkillsTooMany]
        );
        let unknown = SetupInput {
            skill_ids: skills(&[1, 99]),
            interview_type_id: Some(InterviewTypeId(7)),
            ..input()
        };
        assert_eq!(
            setup(&unknown, &types(&[1]), &skills(&[1])),
            vec![SetupError::TypeUnknown, SetupError::SkillUnknown]
        );
        for n in [2, 13] {
            assert_eq!(
                setup(
                    &SetupInput {
                        question_count: n,
                        ..input()
                    },
                    &types(&[1]),
                    &skills(&[1, 2])
                ),
                vec![SetupError::QuestionCount]
            );
        }
    }

    #[test]
    fn setup_error_codes_round_trip() {
        for e in SetupError::ALL {
            assert_eq!(SetupError::from_code(e.code()), Some(e));
        }
    }
}
