//! The report: every part's figures in `target/bench/fanout.json`, which
//! `scripts/bench-report.mjs` reads with the Playwright parts.

use super::*;

/// Writes `fanout.json` into `out`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    out: &std::path::Path,
    steps: &[Step],
    stopped: Option<String>,
    cluster: Value,
    peer: Value,
    catchup: Value,
    attack: Value,
    extra: Value,
) -> BenchResult<()> {
    let report = json!({
        "fanout": steps.iter().map(|s| json!({
            "connections": s.connections, "p50_ms": s.p50, "p95_ms": s.p95, "p99_ms": s.p99, "max_ms": s.max,
            "lost": s.lost, "rss_kib_per_idle_conn": s.rss_kib_per_idle_conn,
            "rss_mib_before": s.rss_mib.0, "rss_mib_after": s.rss_mib.1, "cpu_us_per_event": s.cpu_us_per_event,
        })).collect::<Vec<_>>(),
        "fanout_stopped": stopped,
        "cluster": cluster,
        "peer": peer,
        "catchup": catchup,
        "under_attack": attack,
    });
    let mut report = report;
    if let (Some(report), Some(extra)) = (report.as_object_mut(), extra.as_object()) {
        report.extend(extra.clone());
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("fanout.json"), serde_json::to_string_pretty(&report).unwrap_or_default())
        .map_err(|e| e.to_string())
}
