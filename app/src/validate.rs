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
    EmailTaken,
    /// Unknown user or wrong password: the same answer for both.
    WrongCredentials,
    TooManyAttempts,
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
        Self::EmailTaken,
        Self::WrongCredentials,
        Self::TooManyAttempts,
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
            Self::EmailTaken => "email_taken",
            Self::WrongCredentials => "wrong_credentials",
            Self::TooManyAttempts => "too_many_attempts",
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
            Self::EmailLong | Self::EmailInvalid | Self::EmailTaken => "email",
            Self::WrongCredentials | Self::TooManyAttempts => "form",
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
            Self::EmailTaken => f.write_str("An account with that email address already exists."),
            Self::WrongCredentials => f.write_str("Wrong username or password."),
            Self::TooManyAttempts => {
                f.write_str("Too many failed attempts. Wait a little and try again.")
            }
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
