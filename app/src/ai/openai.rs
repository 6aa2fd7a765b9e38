//! Any OpenAI-compatible chat-completions server, through async-openai. Replies (the bridge
//! only: `bridge.rs`) are streamed with an output limit and their token usage; reports are
//! asked for with a strict JSON schema, checked, and bounded by the judge (`rules::enforce`).

use super::{AiError, Piece, ReportInput, TokenStream, TurnBrief, prompt, rules};
use crate::model::Role;
use crate::store::{QuestionRow, ReportRows, SkillRow, Usage};
use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestAssistantMessageArgs, ChatCompletionRequestMessage,
    ChatCompletionRequestSystemMessageArgs, ChatCompletionRequestUserMessageArgs,
    ChatCompletionStreamOptions, CompletionUsage, CreateChatCompletionRequestArgs, FinishReason,
    ResponseFormat, ResponseFormatJsonSchema,
};
use futures::StreamExt;
use std::time::Duration;

/// How to reach the model server, and what a call may cost.
#[derive(Clone, Debug)]
pub struct OpenAiSettings {
    /// Up to and including `/v1`, e.g. `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// The longest wait for the first piece of a reply, between two pieces, and for a report.
    pub timeout: Duration,
    /// The most tokens a reply may have (`max_tokens`); a report's limit is what its schema
    /// allows ([`schema_token_bound`]).
    pub max_tokens: u32,
    pub temperature: f32,
}

pub struct OpenAiProvider {
    client: Client<OpenAIConfig>,
    model: String,
    timeout: Duration,
    max_tokens: u32,
    temperature: f32,
}

fn usage(u: Option<CompletionUsage>) -> Usage {
    u.map_or_else(Usage::default, |u| Usage {
        prompt: u64::from(u.prompt_tokens),
        completion: u64::from(u.completion_tokens),
    })
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
            max_tokens: s.max_tokens.max(16),
            temperature: s.temperature,
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
        #[allow(deprecated)] // `max_tokens`: what llama.cpp, vLLM and Ollama read.
        let request = CreateChatCompletionRequestArgs::default()
            .model(&self.model)
            .messages(messages)
            .max_tokens(self.max_tokens)
            .temperature(self.temperature)
            .stream_options(ChatCompletionStreamOptions {
                include_usage: Some(true),
                include_obfuscation: None,
            })
            .build()
            .map_err(|_| AiError::Unexpected)?;
        let stream = tokio::time::timeout(self.timeout, self.client.chat().create_stream(request))
            .await
            .map_err(|_| AiError::Timeout)?
            .map_err(map_error)?;
        let timeout = self.timeout;
        // A reply is whole only when a chunk carries a finish reason; a stream that simply
        // stops before that was cut off. Usage comes in a last chunk of its own.
        Ok(Box::pin(
            futures::stream::unfold(
                (stream, false, false),
                move |(mut stream, finished, failed)| async move {
                    if failed {
                        return None;
                    }
                    match tokio::time::timeout(timeout, stream.next()).await {
                        Err(_) => Some((vec![Err(AiError::Timeout)], (stream, finished, true))),
                        Ok(None) if finished => None,
                        Ok(None) => Some((vec![Err(AiError::Cut)], (stream, finished, true))),
                        Ok(Some(Err(e))) => {
                            Some((vec![Err(map_error(e))], (stream, finished, true)))
                        }
                        Ok(Some(Ok(chunk))) => {
                            let mut out = Vec::new();
                            let choice = chunk.choices.into_iter().next();
                            let reason = choice.as_ref().and_then(|c| c.finish_reason);
                            let text = choice.and_then(|c| c.delta.content).unwrap_or_default();
                            if !text.is_empty() {
                                out.push(Ok(Piece::Text(text)));
                            }
                            if reason == Some(FinishReason::Length) {
                                out.push(Ok(Piece::CutOff));
                            }
                            if chunk.usage.is_some() {
                                out.push(Ok(Piece::Usage(usage(chunk.usage))));
                            }
                            Some((out, (stream, finished || reason.is_some(), false)))
                        }
                    }
                },
            )
            .flat_map(futures::stream::iter),
        ))
    }

    /// One attempt at a report, with what it cost.
    pub async fn report(&self, input: &ReportInput) -> (Result<ReportRows, AiError>, Usage) {
        let schema = report_schema(input);
        let call = JsonCall {
            name: "interview_report",
            // The longest report the schema allows always fits: a grammar-constrained model
            // that fills every field to its bound is not cut off (a fixed multiple was, and
            // the report was lost).
            max_tokens: schema_token_bound(&schema),
            schema,
            system: prompt::report_system_prompt(input),
            user: prompt::report_transcript(input),
            timeout: self.timeout * 4,
        };
        let (text, used) = self.json_call(call).await;
        let rows = text.and_then(|text| {
            parse_report(input, &text)
                .map_err(AiError::Malformed)
                .map(|rows| rules::enforce(input, rows))
        });
        (rows, used)
    }

    /// The catalogue skills a job ad calls for, in the model's judgement: names from
    /// `catalogue` only (the schema's `enum` holds a grammar-constrained model to them, and
    /// the caller keeps only catalogue names whatever comes back).
    pub async fn propose_skills(
        &self,
        ad: &str,
        catalogue: &[String],
    ) -> (Result<Vec<String>, AiError>, Usage) {
        let call = JsonCall {
            name: "job_ad_skills",
            schema: serde_json::json!({
                "type": "object",
                "properties": {
                    "skills": {
                        "type": "array",
                        "items": { "type": "string", "enum": catalogue },
                        "maxItems": crate::validate::MAX_SKILLS,
                    }
                },
                "required": ["skills"],
                "additionalProperties": false,
            }),
            system: prompt::job_ad_system_prompt(catalogue),
            user: ad.to_owned(),
            max_tokens: 200,
            timeout: self.timeout,
        };
        let (text, used) = self.json_call(call).await;
        let names = text.and_then(|text| {
            #[derive(serde::Deserialize)]
            struct Proposal {
                skills: Vec<String>,
            }
            serde_json::from_str::<Proposal>(text.trim())
                .map(|p| p.skills)
                .map_err(|e| AiError::Malformed(format!("not the asked-for JSON ({e})")))
        });
        (names, used)
    }

    /// One non-streamed call whose answer must follow a strict JSON schema: the text, or why
    /// there is none (a cut-off answer is malformed), and the tokens it used.
    async fn json_call(&self, call: JsonCall) -> (Result<String, AiError>, Usage) {
        let request = (|| {
            #[allow(deprecated)]
            CreateChatCompletionRequestArgs::default()
                .model(&self.model)
                .messages(vec![system(&call.system)?, user(&call.user)?])
                .max_tokens(call.max_tokens)
                .temperature(self.temperature.min(0.3))
                .response_format(ResponseFormat::JsonSchema {
                    json_schema: ResponseFormatJsonSchema {
                        name: call.name.into(),
                        description: None,
                        schema: call.schema,
                        strict: Some(true),
                    },
                })
                .build()
                .map_err(|_| AiError::Unexpected)
        })();
        let request = match request {
            Ok(r) => r,
            Err(e) => return (Err(e), Usage::default()),
        };
        let response =
            match tokio::time::timeout(call.timeout, self.client.chat().create(request)).await {
                Err(_) => return (Err(AiError::Timeout), Usage::default()),
                Ok(Err(e)) => return (Err(map_error(e)), Usage::default()),
                Ok(Ok(r)) => r,
            };
        let used = usage(response.usage);
        let Some(choice) = response.choices.into_iter().next() else {
            return (Err(AiError::Empty), used);
        };
        if choice.finish_reason == Some(FinishReason::Length) {
            return (
                Err(AiError::Malformed(
                    "it was cut off at the output limit".into(),
                )),
                used,
            );
        }
        (Ok(choice.message.content.unwrap_or_default()), used)
    }
}

/// What [`OpenAiProvider::json_call`] asks.
struct JsonCall {
    name: &'static str,
    schema: serde_json::Value,
    system: String,
    user: String,
    max_tokens: u32,
    timeout: Duration,
}

/// The report's JSON schema, for this interview: an object with one entry per skill, keyed by
/// its name, and one per question asked, keyed by its number — so a grammar-constrained model
/// can neither leave one out, repeat one, nor add one — every string bounded, so it cannot run
/// on until it is cut off. Skill ratings are not asked for: the server computes them from the
/// questions.
pub fn report_schema(input: &ReportInput) -> serde_json::Value {
    let text = |max: usize| serde_json::json!({ "type": "string", "maxLength": max });
    let object = |properties: serde_json::Map<String, serde_json::Value>| {
        let required: Vec<&String> = properties.keys().collect();
        serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false
        })
    };
    let skill = serde_json::json!({
        "type": "object",
        "properties": {
            "strengths": text(200),
            "areas_for_improvement": text(200),
            "summary": text(150)
        },
        "required": ["strengths", "areas_for_improvement", "summary"],
        "additionalProperties": false
    });
    let question = serde_json::json!({
        "type": "object",
        "properties": {
            "rating": { "type": ["integer", "null"], "minimum": 1, "maximum": 5 },
            "evidence": text(120),
            "note": text(200)
        },
        "required": ["rating", "evidence", "note"],
        "additionalProperties": false
    });
    let skills = input
        .skills
        .iter()
        .map(|(_, name)| (name.clone(), skill.clone()))
        .collect();
    let questions = input
        .questions
        .iter()
        .map(|q| (q.order.to_string(), question.clone()))
        .collect();
    object(serde_json::Map::from_iter([
        ("skills".to_owned(), object(skills)),
        ("questions".to_owned(), object(questions)),
    ]))
}

/// An upper bound on the tokens a JSON value following `schema` can take, counting every
/// character as a token (English text runs well under one token per character): the bounded
/// strings, numbers, keys and punctuation, with a quarter more for escapes and the whitespace
/// a grammar allows between fields. A part the schema leaves unbounded counts as
/// [`UNBOUNDED_CHARS`].
pub fn schema_token_bound(schema: &serde_json::Value) -> u32 {
    let chars = schema_chars(schema);
    u32::try_from(chars + chars / 4).unwrap_or(u32::MAX)
}

const UNBOUNDED_CHARS: usize = 2000;

fn schema_chars(schema: &serde_json::Value) -> usize {
    let max = |key: &str| schema.get(key).and_then(serde_json::Value::as_u64);
    let types: Vec<&str> = match schema.get("type") {
        Some(serde_json::Value::String(t)) => vec![t.as_str()],
        Some(serde_json::Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => vec![],
    };
    types
        .iter()
        .map(|t| match *t {
            "object" => {
                let fields = schema.get("properties").and_then(|p| p.as_object());
                2 + fields.map_or(0, |f| {
                    f.iter()
                        .map(|(k, v)| k.chars().count() + 4 + schema_chars(v))
                        .sum()
                })
            }
            "array" => {
                let item = schema.get("items").map_or(UNBOUNDED_CHARS, schema_chars);
                2 + max("maxItems").map_or(UNBOUNDED_CHARS, |n| n as usize * (item + 1))
            }
            "string" => {
                let longest_enum = schema
                    .get("enum")
                    .and_then(|e| e.as_array())
                    .and_then(|e| e.iter().filter_map(|v| v.as_str()).map(str::len).max());
                2 + longest_enum
                    .or(max("maxLength").map(|n| n as usize))
                    .unwrap_or(UNBOUNDED_CHARS)
            }
            "integer" | "number" => {
                let widest = ["minimum", "maximum"]
                    .into_iter()
                    .filter_map(|k| schema.get(k).and_then(serde_json::Value::as_i64))
                    .map(|n| n.to_string().len())
                    .max();
                widest.unwrap_or(20)
            }
            "boolean" | "null" => 5,
            _ => UNBOUNDED_CHARS,
        })
        .max()
        .unwrap_or(UNBOUNDED_CHARS)
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
    /// By skill name.
    skills: std::collections::HashMap<String, DraftSkill>,
    /// By question number.
    questions: std::collections::HashMap<String, DraftQuestion>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftSkill {
    strengths: String,
    areas_for_improvement: String,
    #[serde(default)]
    summary: String,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DraftQuestion {
    rating: Option<u8>,
    /// A short quote from the answer that the rating rests on.
    #[serde(default)]
    evidence: String,
    note: String,
}

const MAX_FIELD_CHARS: usize = 2000;

/// Whether a quote is really from the answer (case, spacing and quote marks aside).
fn quoted_from(answer: &str, quote: &str) -> bool {
    let norm = |s: &str| -> String {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
            .trim_matches(|c: char| c == '"' || c == '\'' || c == '…' || c == '.')
            .to_owned()
    };
    let q = norm(quote);
    q.chars().count() >= 3 && norm(answer).contains(&q)
}

/// Checks a model's report against the interview: valid JSON of the asked shape, every skill
/// and question exactly once, ratings 1–5, text present and not too long. A question's
/// evidence is kept only when it is really quoted from the answer; skill ratings are left to
/// `rules::enforce`, which computes them.
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
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, s)| s);
        let s = found
            .next()
            .ok_or_else(|| format!("the skill {name} is missing"))?;
        if found.next().is_some() {
            return Err(format!("the skill {name} appears twice"));
        }
        if s.strengths.trim().is_empty() && s.areas_for_improvement.trim().is_empty() {
            return Err(format!("{name} has neither strengths nor areas to improve"));
        }
        if long(&s.strengths) || long(&s.areas_for_improvement) || long(&s.summary) {
            return Err(format!("the text on {name} is too long"));
        }
        skills.push(SkillRow {
            skill_id: *id,
            // Computed by `rules::enforce` from the questions, never taken from the model.
            rating: None,
            strengths: s.strengths.trim().to_owned(),
            areas_for_improvement: s.areas_for_improvement.trim().to_owned(),
            summary: s.summary.trim().to_owned(),
            answered: 0,
            planned: 0,
        });
    }
    if draft.skills.len() != input.skills.len() {
        return Err("it rates skills this interview does not have".into());
    }
    if draft.questions.len() != input.questions.len() {
        return Err("it rates questions that were not asked".into());
    }
    let mut questions = Vec::new();
    for q in &input.questions {
        let d = draft
            .questions
            .get(&q.order.to_string())
            .ok_or_else(|| format!("question {} is missing", q.order))?;
        if d.rating.is_some_and(|r| !(1..=5).contains(&r)) {
            return Err(format!("the rating of question {} is not 1 to 5", q.order));
        }
        if q.answer.is_some() && d.rating.is_none() {
            return Err(format!("question {} was answered but not rated", q.order));
        }
        if d.note.trim().is_empty() || long(&d.note) || long(&d.evidence) {
            return Err(format!(
                "the note on question {} is empty or too long",
                q.order
            ));
        }
        let answer = rules::answer_text(q).unwrap_or_default();
        let note = if quoted_from(&answer, &d.evidence) {
            format!("“{}” — {}", d.evidence.trim(), d.note.trim())
        } else {
            d.note.trim().to_owned()
        };
        questions.push(QuestionRow {
            interview_question_id: q.id.clone(),
            rating: d.rating,
            note,
            covered: None,
        });
    }
    Ok(ReportRows {
        skills,
        questions,
        fallback: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::fixtures::report_input_with_answer;

    /// The longest value the schema allows, written independently of the bound: every string
    /// at its length limit, numbers at their widest, every field.
    fn longest(schema: &serde_json::Value) -> serde_json::Value {
        let types: Vec<&str> = match &schema["type"] {
            serde_json::Value::String(t) => vec![t.as_str()],
            serde_json::Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
            _ => vec![],
        };
        match types[0] {
            "object" => serde_json::Value::Object(
                schema["properties"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), longest(v)))
                    .collect(),
            ),
            "string" => "w"
                .repeat(schema["maxLength"].as_u64().unwrap() as usize)
                .into(),
            "integer" => schema["maximum"].clone(),
            other => panic!("not in the report's schema: {other}"),
        }
    }

    #[test]
    fn the_report_limit_holds_the_longest_report_its_schema_allows() {
        let mut input = report_input_with_answer("A hash map and a doubly linked list.");
        // Three questions on two skills, as a short interview has.
        let mut second = input.questions[0].clone();
        second.order = 2;
        second.skill_id = Some(crate::model::SkillId(2));
        let mut third = second.clone();
        third.order = 3;
        input.questions.extend([second, third]);
        input.skills.push((crate::model::SkillId(2), "Go".into()));
        let schema = report_schema(&input);
        let bound = schema_token_bound(&schema) as usize;

        let report = longest(&schema);
        for text in [
            serde_json::to_string(&report).unwrap(),
            serde_json::to_string_pretty(&report).unwrap(),
        ] {
            // One token per character is the worst a tokenizer does on this text.
            let chars = text.chars().count();
            assert!(chars <= bound, "{chars} characters over a limit of {bound}");
        }
        // And the server reads that report: the schema's limits are within the parser's.
        parse_report(&input, &serde_json::to_string(&report).unwrap()).unwrap();
        // Not a limit so loose it means nothing: within twice the compact longest report.
        let compact = serde_json::to_string(&report).unwrap().chars().count();
        assert!(bound <= 2 * compact, "{bound} for {compact}");
    }

    #[test]
    fn parts_a_schema_leaves_open_count_as_long() {
        let open = serde_json::json!({ "type": "string" });
        let capped = serde_json::json!({ "type": "string", "maxLength": 10 });
        assert!(schema_token_bound(&open) > 100 * schema_token_bound(&capped));
        let list = serde_json::json!({ "type": "array", "items": capped, "maxItems": 3 });
        assert_eq!(schema_chars(&list), 2 + 3 * (12 + 1));
    }
}
