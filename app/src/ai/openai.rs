//! Any OpenAI-compatible chat-completions server, through async-openai: replies are streamed,
//! reports are asked for as a JSON object and validated.

use super::{AiError, ReportInput, TokenStream, TurnBrief, prompt, rules};
use crate::model::Role;
use crate::store::{QuestionRow, ReportRows, SkillRow};
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessageArgs, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessageArgs, ChatCompletionRequestUserMessageArgs,
    CreateChatCompletionRequestArgs, ResponseFormat,
};
use futures::StreamExt;
use std::time::Duration;

/// How to reach the model server.
#[derive(Clone, Debug)]
pub struct OpenAiSettings {
    /// Up to and including `/v1`, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// The longest wait for the first piece of a reply, between two pieces, and for a report.
    pub timeout: Duration,
}

pub struct OpenAiProvider {
    client: Client<OpenAIConfig>,
    model: String,
    timeout: Duration,
}

impl OpenAiProvider {
    pub fn new(s: &OpenAiSettings) -> Result<OpenAiProvider, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(s.timeout)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        let config = OpenAIConfig::new()
            .with_api_base(s.base_url.trim_end_matches('/'))
            .with_api_key(s.api_key.clone().unwrap_or_default());
        // No automatic retries: a person is waiting, and the page offers a retry button.
        let client = Client::with_config(config).with_http_service(ReqwestService::new(http));
        Ok(OpenAiProvider {
            client,
            model: s.model.clone(),
            timeout: s.timeout,
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    pub async fn reply(&self, brief: &TurnBrief) -> Result<TokenStream, AiError> {
        let mut messages: Vec<ChatCompletionRequestMessage> =
            vec![system(&prompt::system_prompt(brief))?];
        for (role, text) in &brief.history {
            messages.push(match role {
                Role::Candidate => user(text)?,
                _ => assistant(text)?,
            });
        }
        if let Some(text) = &brief.candidate_text {
            messages.push(user(text)?);
        }
        let request = CreateChatCompletionRequestArgs::default()
            .model(&self.model)
            .messages(messages)
            .build()
            .map_err(|_| AiError::Unexpected)?;
        let stream = tokio::time::timeout(self.timeout, self.client.chat().create_stream(request))
            .await
            .map_err(|_| AiError::Timeout)?
            .map_err(map_error)?;
        let timeout = self.timeout;
        // A reply is whole only when a chunk carries a finish reason; a stream that simply
        // stops before that was cut off.
        Ok(Box::pin(futures::stream::unfold(
            (stream, false, false),
            move |(mut stream, finished, failed)| async move {
                if failed {
                    return None;
                }
                match tokio::time::timeout(timeout, stream.next()).await {
                    Err(_) => Some((Err(AiError::Timeout), (stream, finished, true))),
                    Ok(None) if finished => None,
                    Ok(None) => Some((Err(AiError::Cut), (stream, finished, true))),
                    Ok(Some(Err(e))) => Some((Err(map_error(e)), (stream, finished, true))),
                    Ok(Some(Ok(chunk))) => {
                        let choice = chunk.choices.into_iter().next();
                        let done =
                            finished || choice.as_ref().is_some_and(|c| c.finish_reason.is_some());
                        let text = choice.and_then(|c| c.delta.content).unwrap_or_default();
                        Some((Ok(text), (stream, done, false)))
                    }
                }
            },
        )))
    }

    pub async fn report(&self, input: &ReportInput) -> Result<ReportRows, AiError> {
        let request = CreateChatCompletionRequestArgs::default()
            .model(&self.model)
            .messages(vec![
                system(&prompt::report_system_prompt(input))?,
                user(&prompt::report_transcript(input))?,
            ])
            .response_format(ResponseFormat::JsonObject)
            .build()
            .map_err(|_| AiError::Unexpected)?;
        let response = tokio::time::timeout(self.timeout * 4, self.client.chat().create(request))
            .await
            .map_err(|_| AiError::Timeout)?
            .map_err(map_error)?;
        let text = response
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .unwrap_or_default();
        let rows = parse_report(input, &text).map_err(AiError::Malformed)?;
        Ok(rules::enforce(input, rows))
    }
}

fn system(text: &str) -> Result<ChatCompletionRequestMessage, AiError> {
    Ok(ChatCompletionRequestSystemMessageArgs::default()
        .content(text)
        .build()
        .map_err(|_| AiError::Unexpected)?
        .into())
}

fn user(text: &str) -> Result<ChatCompletionRequestMessage, AiError> {
    Ok(ChatCompletionRequestUserMessageArgs::default()
        .content(text)
        .build()
        .map_err(|_| AiError::Unexpected)?
        .into())
}

fn assistant(text: &str) -> Result<ChatCompletionRequestMessage, AiError> {
    Ok(ChatCompletionRequestAssistantMessageArgs::default()
        .content(text)
        .build()
        .map_err(|_| AiError::Unexpected)?
        .into())
}

fn map_error(e: OpenAIError) -> AiError {
    match e {
        OpenAIError::ApiError(r) => AiError::Status(r.status_code.as_u16()),
        OpenAIError::Reqwest(e) if e.is_timeout() => AiError::Timeout,
        OpenAIError::Reqwest(e) if e.is_connect() || e.is_request() => AiError::Unreachable,
        OpenAIError::Reqwest(_) | OpenAIError::StreamError(_) => AiError::Cut,
        other => {
            tracing::warn!(error = %other, "unexpected answer from the model server");
            AiError::Unexpected
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftReport {
    skills: Vec<DraftSkill>,
    questions: Vec<DraftQuestion>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftSkill {
    skill: String,
    rating: u8,
    strengths: String,
    areas_for_improvement: String,
    #[serde(default)]
    summary: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftQuestion {
    number: u32,
    rating: Option<u8>,
    note: String,
}

const MAX_FIELD_CHARS: usize = 2000;

/// Checks a model's report against the interview: valid JSON of the asked shape, every skill
/// and question exactly once, ratings 1–5, text present and not too long.
pub fn parse_report(input: &ReportInput, text: &str) -> Result<ReportRows, String> {
    // Models sometimes wrap JSON in a code fence despite being told not to.
    let body = text
        .trim()
        .trim_start_matches("```json")
        .trim_start_matches("```")
        .trim_end_matches("```")
        .trim();
    let draft: DraftReport =
        serde_json::from_str(body).map_err(|e| format!("it is not the expected JSON ({e})"))?;
    let long = |s: &str| s.chars().count() > MAX_FIELD_CHARS;
    let mut skills = Vec::new();
    for (id, name) in &input.skills {
        let mut found = draft
            .skills
            .iter()
            .filter(|s| s.skill.eq_ignore_ascii_case(name));
        let s = found
            .next()
            .ok_or_else(|| format!("the skill {name} is missing"))?;
        if found.next().is_some() {
            return Err(format!("the skill {name} appears twice"));
        }
        if !(1..=5).contains(&s.rating) {
            return Err(format!("the rating of {name} is {}, not 1 to 5", s.rating));
        }
        if s.strengths.trim().is_empty() && s.areas_for_improvement.trim().is_empty() {
            return Err(format!("{name} has neither strengths nor areas to improve"));
        }
        if long(&s.strengths) || long(&s.areas_for_improvement) || long(&s.summary) {
            return Err(format!("the text on {name} is too long"));
        }
        skills.push(SkillRow {
            skill_id: *id,
            rating: Some(s.rating),
            strengths: s.strengths.trim().to_owned(),
            areas_for_improvement: s.areas_for_improvement.trim().to_owned(),
            summary: s.summary.trim().to_owned(),
            // Counted by `rules::enforce`, not taken from the model.
            answered: 0,
            planned: 0,
        });
    }
    if draft.skills.len() != input.skills.len() {
        return Err("it rates skills this interview does not have".into());
    }
    let mut questions = Vec::new();
    for q in &input.questions {
        let mut found = draft.questions.iter().filter(|d| d.number == q.order);
        let d = found
            .next()
            .ok_or_else(|| format!("question {} is missing", q.order))?;
        if found.next().is_some() {
            return Err(format!("question {} appears twice", q.order));
        }
        if d.rating.is_some_and(|r| !(1..=5).contains(&r)) {
            return Err(format!("the rating of question {} is not 1 to 5", q.order));
        }
        if q.answer.is_some() && d.rating.is_none() {
            return Err(format!("question {} was answered but not rated", q.order));
        }
        if d.note.trim().is_empty() || long(&d.note) {
            return Err(format!(
                "the note on question {} is empty or too long",
                q.order
            ));
        }
        questions.push(QuestionRow {
            interview_question_id: q.id.clone(),
            rating: d.rating,
            note: d.note.trim().to_owned(),
            covered: None,
        });
    }
    Ok(ReportRows { skills, questions })
}
