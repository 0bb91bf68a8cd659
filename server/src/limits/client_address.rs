//! The address a request comes from: the TCP peer, or behind a trusted proxy the address
//! that proxy appended to `X-Forwarded-For`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::config::Config;
use crate::error::Error;

/// Who is on the other end, for per-address limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl<S> FromRequestParts<S> for ClientAddress
where
    S: Send + Sync,
    Arc<Config>: FromRef<S>,
{
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        if Arc::<Config>::from_ref(state).trust_forwarded_for {
            let forwarded = last_forwarded(parts.headers.get_all("x-forwarded-for").iter().map(|v| v.as_bytes()));
            if let Some(address) = forwarded {
                return Ok(ClientAddress(address));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        // Without a peer (a router driven in-process by tests) all requests share one key.
        Ok(ClientAddress(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// The address in the last entry of the last `X-Forwarded-For` value: the one our proxy
/// wrote (earlier ones are the client's word).
pub fn last_forwarded<'a>(values: impl Iterator<Item = &'a [u8]>) -> Option<IpAddr> {
    let last = std::str::from_utf8(values.last()?).ok()?;
    last.rsplit(',').next()?.trim().parse().ok()
}
