//! The API's one error type. Handlers return `Result<_, ApiError>` and use `?`; the mapping to a
//! status code and a JSON body `{"error": "...", "status": N}` lives here, in one place. Internal
//! failures are logged with their detail and answered with a generic message: never leaked.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request was malformed; the message names the field and what was wrong.
    #[error("{0}")]
    BadRequest(String),
    /// 401: a session is needed, or the sign-in was refused; the message says why.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: signed in, but not allowed (not the owner…).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing; the message names it.
    #[error("{0}")]
    NotFound(String),
    /// 422: well-formed but impossible (breeding a token with itself…).
    #[error("{0}")]
    Unprocessable(String),
    /// 429: the caller is over its rate limit.
    #[error("too many requests: at most {0} per second on this route; retry shortly")]
    RateLimited(u32),
    /// 503: a part the route needs is not available here (e.g. the generator model).
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or a broken disk. Logged; the client sees a generic message.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What was wrong, for a person.
    pub error: String,
    /// The HTTP status, repeated for clients that only see the body.
    pub status: u16,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!("internal error: {detail}");
                "internal error; it has been logged".to_string()
            }
            other => other.to_string(),
        };
        (status, Json(ErrorBody { error: message, status: status.as_u16() })).into_response()
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<crate::generator::GeneratorError> for ApiError {
    fn from(e: crate::generator::GeneratorError) -> Self {
        ApiError::Unavailable(format!("portrait generator: {e}"))
    }
}

impl From<crate::genome::GenomeError> for ApiError {
    fn from(e: crate::genome::GenomeError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}

impl From<crate::fusion::FusionError> for ApiError {
    fn from(e: crate::fusion::FusionError) -> Self {
        ApiError::BadRequest(e.to_string())
    }
}
