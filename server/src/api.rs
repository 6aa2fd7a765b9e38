//! The JSON API under `/api/v1`, for scripts and other clients.
//!
//! Authenticated by the same session cookie as the pages (`pp_session`, from `/auth/signin`).
//! Every error is `{"error": {"code": "...", "message": "..."}}` with a fitting 4xx status;
//! malformed JSON is 400, a body of the wrong shape is 422 naming the field. Someone else's
//! interview is 404, exactly as a missing one. The OpenAPI document at `/api/v1/openapi.json`
//! is generated from the annotations on these handlers, and the router is built from the same
//! list, so the two cannot drift apart.

use crate::AppState;
use app::api::{AppError, SetupOutcome, setup_interview_for};
use app::model::{
    DEFAULT_QUESTION_COUNT, DifficultySetting, Interview, InterviewFilter, InterviewId,
    InterviewPage, InterviewStatus, InterviewType, InterviewTypeId, Skill, SkillId, User,
};
use app::store::StoreError;
use app::validate::{SetupError, SetupInput};
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, RawQuery, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

// ---------------------------------------------------------------- errors

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code: `not_found`, `unauthorized`, `malformed_json`,
    /// `invalid_input`, `conflict`, `unsupported_media_type`, `unavailable`, `internal`,
    /// `cross_site` (403, `security::same_origin_only`), `rate_limited` (429, `limits`).
    code: &'static str,
    /// What went wrong, for a person.
    message: String,
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
            },
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The one mapping of the app's errors to HTTP: status, code and message all come from
/// [`AppError`].
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        Self::new(e.status_code(), e.code(), e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        AppError::from(e).into()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            // axum's message carries serde's path to the offending field.
            JsonRejection::JsonDataError(e) => Self::invalid(e.body_text()),
            JsonRejection::JsonSyntaxError(e) => {
                Self::new(StatusCode::BAD_REQUEST, "malformed_json", e.body_text())
            }
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            other => Self::new(StatusCode::BAD_REQUEST, "malformed_json", other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_input", r.body_text())
    }
}

/// JSON in, with our error format for bodies that do not parse.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(T);

/// Path parameters, with our error format when one does not parse.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(T);

/// The signed-in user, or 401.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "sessions are unavailable",
                )
            })?;
        match app::auth::session_user(&state.db, &session).await? {
            Some(user) => Ok(ApiUser(user)),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "sign in first: POST /auth/signin, then send the pp_session cookie",
            )),
        }
    }
}

/// The signed-in user's interview named by the path's `{id}`: 401 when signed out, and 404
/// for someone else's interview exactly as for a missing one (`Db::check_owner`).
pub struct OwnedInterview(pub User, pub InterviewId);

impl FromRequestParts<AppState> for OwnedInterview {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        let ApiPath(id) = ApiPath::<InterviewId>::from_request_parts(parts, state).await?;
        state.db.check_owner(&user.id, &id).await?;
        Ok(OwnedInterview(user, id))
    }
}

type ApiResult<T> = Result<T, ApiError>;

// ---------------------------------------------------------------- catalogue

/// All interview types.
#[utoipa::path(get, path = "/interview-types", tag = "catalogue",
    responses((status = 200, body = [InterviewType]), (status = 401, body = ErrorBody)))]
async fn interview_types(
    _: ApiUser,
    State(s): State<AppState>,
) -> ApiResult<axum::Json<Vec<InterviewType>>> {
    Ok(axum::Json(s.db.interview_types().await?))
}

/// The skills an interview type suggests.
#[utoipa::path(get, path = "/interview-types/{id}/suggested-skills", tag = "catalogue",
    params(("id" = i64, Path, description = "interview type id")),
    responses((status = 200, body = [Skill]), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn suggested_skills(
    _: ApiUser,
    State(s): State<AppState>,
    ApiPath(id): ApiPath<InterviewTypeId>,
) -> ApiResult<axum::Json<Vec<Skill>>> {
    Ok(axum::Json(s.db.suggested_skills(id).await?))
}

/// All skills.
#[utoipa::path(get, path = "/skills", tag = "catalogue",
    responses((status = 200, body = [Skill]), (status = 401, body = ErrorBody)))]
async fn skills(_: ApiUser, State(s): State<AppState>) -> ApiResult<axum::Json<Vec<Skill>>> {
    Ok(axum::Json(s.db.skills().await?))
}

// ---------------------------------------------------------------- interviews

/// The plan's body for creating an interview, plus the optional length and difficulty.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInterview {
    /// 1–120 characters after trimming.
    title: String,
    interview_type_id: InterviewTypeId,
    /// 1–10 skill ids.
    skill_ids: Vec<SkillId>,
    /// 3–12; 6 when left out.
    #[serde(default)]
    question_count: Option<u8>,
    /// `mixed` when left out.
    #[serde(default)]
    difficulty: Option<DifficultySetting>,
    /// The per-question timer in seconds: 60, 120, 180, 300 or 600; no timer when left out.
    #[serde(default)]
    answer_seconds: Option<u16>,
}

/// The setup rules' complaints, each naming its field.
fn invalid_setup(codes: &[String]) -> ApiError {
    let message = codes
        .iter()
        .filter_map(|c| SetupError::from_code(c))
        .map(|e| format!("{}: {e}", e.field()))
        .collect::<Vec<_>>()
        .join(" ");
    ApiError::invalid(message)
}

/// Creates an interview with its skills (one transaction).
#[utoipa::path(post, path = "/interviews", tag = "interviews", request_body = CreateInterview,
    responses((status = 201, body = Interview), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn create_interview(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiJson(body): ApiJson<CreateInterview>,
) -> ApiResult<(StatusCode, axum::Json<Interview>)> {
    let input = SetupInput {
        title: body.title,
        interview_type_id: Some(body.interview_type_id),
        skill_ids: body.skill_ids,
        question_count: body.question_count.unwrap_or(DEFAULT_QUESTION_COUNT),
        difficulty: body.difficulty.unwrap_or(DifficultySetting::Mixed),
        answer_seconds: body.answer_seconds,
    };
    match setup_interview_for(&s.db, user.id, input, Vec::new()).await? {
        SetupOutcome::Saved(interview) => Ok((StatusCode::CREATED, axum::Json(*interview))),
        SetupOutcome::Invalid(codes) => Err(invalid_setup(&codes)),
    }
}

/// The signed-in user's interviews, newest first, filtered and paged like the history page.
#[utoipa::path(get, path = "/interviews", tag = "interviews",
    params(
        ("type" = Option<i64>, Query, description = "interview type id"),
        ("skill" = Option<Vec<i64>>, Query, description = "skill id; repeat for several (all must match)"),
        ("status" = Option<InterviewStatus>, Query),
        ("q" = Option<String>, Query, description = "words of the title"),
        ("page" = Option<u32>, Query, description = "from 1"),
        ("per_page" = Option<u32>, Query, description = "1–100, default 20"),
    ),
    responses((status = 200, body = InterviewPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn list_interviews(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<axum::Json<InterviewPage>> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or(""))
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", e.to_string()))?;
    let (filter, problems): (InterviewFilter, _) = InterviewFilter::from_query(pairs);
    if !problems.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            problems.join("; "),
        ));
    }
    Ok(axum::Json(s.db.list_interviews(&user.id, filter).await?))
}

/// One interview with its type and skills.
#[utoipa::path(get, path = "/interviews/{id}", tag = "interviews",
    params(("id" = String, Path)),
    responses((status = 200, body = Interview), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn get_interview(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiPath(id): ApiPath<InterviewId>,
) -> ApiResult<axum::Json<Interview>> {
    Ok(axum::Json(s.db.owned_interview(&user.id, &id).await?))
}

/// Fields to change; at least one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInterview {
    title: Option<String>,
    interview_type_id: Option<InterviewTypeId>,
}

/// Renames an interview and/or sets its type (one transaction). 409 when it would change the
/// type of an interview that has started; one without a type may be given one at any time.
#[utoipa::path(patch, path = "/interviews/{id}", tag = "interviews", request_body = UpdateInterview,
    params(("id" = String, Path)),
    responses((status = 200, body = Interview), (status = 404, body = ErrorBody),
        (status = 400, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn update_interview(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiPath(id): ApiPath<InterviewId>,
    ApiJson(body): ApiJson<UpdateInterview>,
) -> ApiResult<axum::Json<Interview>> {
    if body.title.is_none() && body.interview_type_id.is_none() {
        return Err(ApiError::invalid(
            "give `title`, `interview_type_id` or both",
        ));
    }
    let interview =
        s.db.update_owned_interview(&user.id, &id, body.title, body.interview_type_id)
            .await?;
    Ok(axum::Json(interview))
}

/// Deletes an interview with its messages and report.
#[utoipa::path(delete, path = "/interviews/{id}", tag = "interviews",
    params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody)))]
async fn delete_interview(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiPath(id): ApiPath<InterviewId>,
) -> ApiResult<StatusCode> {
    s.db.delete_owned_interview(&user.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a skill to an interview (adding one it has changes nothing). 409 once the interview
/// has started: its skills are fixed then.
#[utoipa::path(put, path = "/interviews/{id}/skills/{skill_id}", tag = "interviews",
    params(("id" = String, Path), ("skill_id" = i64, Path)),
    responses((status = 200, body = [Skill]), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn add_skill(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiPath((id, skill_id)): ApiPath<(InterviewId, SkillId)>,
) -> ApiResult<axum::Json<Vec<Skill>>> {
    let skills =
        s.db.change_interview_skill(&user.id, &id, skill_id, true)
            .await?;
    Ok(axum::Json(skills))
}

/// Removes a skill from an interview (not its last one). 409 once the interview has started.
#[utoipa::path(delete, path = "/interviews/{id}/skills/{skill_id}", tag = "interviews",
    params(("id" = String, Path), ("skill_id" = i64, Path)),
    responses((status = 200, body = [Skill]), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
async fn remove_skill(
    ApiUser(user): ApiUser,
    State(s): State<AppState>,
    ApiPath((id, skill_id)): ApiPath<(InterviewId, SkillId)>,
) -> ApiResult<axum::Json<Vec<Skill>>> {
    let skills =
        s.db.change_interview_skill(&user.id, &id, skill_id, false)
            .await?;
    Ok(axum::Json(skills))
}

// ---------------------------------------------------------------- the document

struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "pp_session",
                "The session cookie set by POST /auth/signin (a form post: username, password).",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Perfect Pitch API", version = "1", description = "Interview types, skills and your interviews."),
    servers((url = "/api/v1")),
    security(("session" = [])),
    modifiers(&SessionCookie),
    components(schemas(ErrorBody, ErrorDetail))
)]
struct ApiDoc;

/// The API's routes and the OpenAPI document describing exactly them.
pub fn routes() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(interview_types))
        .routes(routes!(suggested_skills))
        .routes(routes!(skills))
        .routes(routes!(create_interview, list_interviews))
        .routes(routes!(get_interview, update_interview, delete_interview))
        .routes(routes!(add_skill, remove_skill))
        .split_for_parts();
    let json = serde_json::to_value(&doc).unwrap_or_default();
    let router = router
        .route(
            "/openapi.json",
            axum::routing::get(move || async move { axum::Json(json.clone()) }),
        )
        .fallback(|| async { ApiError::not_found("there is no such API route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "that method is not allowed here",
            )
        });
    (router, doc)
}
