//! Static assets compiled into the binary: vendored NL Design System CSS and htmx, our own
//! theme and stylesheet. Served with long caching; the URL carries the crate version.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "utrecht-component-library.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/vendor/utrecht-component-library.css") },
    Asset { name: "voorbeeld-design-tokens.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/vendor/voorbeeld-design-tokens.css") },
    Asset { name: "htmx.min.js", content_type: "text/javascript; charset=utf-8", body: include_bytes!("../assets/vendor/htmx.min.js") },
    Asset { name: "knooppunt.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/knooppunt.css") },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", body: include_bytes!("../assets/favicon.svg") },
    Asset { name: "knooppunt.js", content_type: "text/javascript; charset=utf-8", body: include_bytes!("../assets/knooppunt.js") },
];

/// `/favicon.ico`, which browsers ask for whatever the page says: the same icon.
pub(crate) async fn favicon() -> Response {
    serve(Path("favicon.svg".to_string())).await
}

pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == file) {
        Some(a) => ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, "public, max-age=86400")], a.body).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
