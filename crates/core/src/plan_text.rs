//! A [`Plan`] in the boundaries' length-prefixed fields (`merge_result`'s `Writer` / `Reader`). The web page merges
//! a pasted config.toml in its tools module, a wasm instance of its own: the page sends the plan its render made
//! (with the project and its diagnostics), so the merge reads that plan instead of planning the project again.
//! Secrets cross as they are (header values, as in the project's own text): the text never leaves the page.

use std::rc::Rc;

use crate::merge_result::{DecodeError, Reader, Writer};
use crate::model::{Capability, ClientCert, EnvRef, Secret};
use crate::plan::{HostsDir, LegacyMirror, LegacyTls, Plan, PlannedHost, ShippedFile};

fn write_opt(w: &mut Writer, v: Option<&str>) {
    w.flag(v.is_some());
    if let Some(v) = v {
        w.field(v);
    }
}

fn read_opt(r: &mut Reader) -> Result<Option<String>, DecodeError> {
    Ok(if r.flag()? { Some(r.field()?.to_string()) } else { None })
}

fn write_host(w: &mut Writer, h: &PlannedHost) {
    w.field(&h.url);
    w.count(h.capabilities.len());
    for c in &h.capabilities {
        w.field(c.as_str());
    }
    w.flag(h.override_path);
    w.list(&h.ca);
    w.count(h.client.len());
    for c in &h.client {
        match c {
            ClientCert::Combined(path) => {
                w.field("combined");
                w.field(path);
            }
            ClientCert::Pair { cert, key } => {
                w.field("pair");
                w.field(cert);
                w.field(key);
            }
        }
    }
    w.flag(h.skip_verify);
    w.count(h.headers.len());
    for (name, values) in &h.headers {
        w.field(name);
        w.count(values.len());
        for v in values {
            match v {
                Secret::Literal(s) => {
                    w.field("literal");
                    w.field(s);
                }
                Secret::FromEnv(e) => {
                    w.field("env");
                    w.field(&e.env);
                }
            }
        }
    }
    write_opt(w, h.dial_timeout.as_deref());
    w.field(&h.origin);
}

fn read_host(r: &mut Reader) -> Result<PlannedHost, DecodeError> {
    let url = r.field()?.to_string();
    // Each capability, client certificate or header takes at least 2 bytes.
    let capabilities = (0..r.count(2)?)
        .map(|_| match r.field()? {
            "pull" => Ok(Capability::Pull),
            "resolve" => Ok(Capability::Resolve),
            "push" => Ok(Capability::Push),
            "referrers" => Ok(Capability::Referrers),
            other => Err(DecodeError(format!("unknown capability {other:?}"))),
        })
        .collect::<Result<_, _>>()?;
    let override_path = r.flag()?;
    let ca = r.list()?;
    let client = (0..r.count(2)?)
        .map(|_| match r.field()? {
            "combined" => Ok(ClientCert::Combined(r.field()?.to_string())),
            "pair" => Ok(ClientCert::Pair { cert: r.field()?.to_string(), key: r.field()?.to_string() }),
            other => Err(DecodeError(format!("unknown client certificate {other:?}"))),
        })
        .collect::<Result<_, _>>()?;
    let skip_verify = r.flag()?;
    let headers = (0..r.count(2)?)
        .map(|_| {
            let name = r.field()?.to_string();
            let values = (0..r.count(2)?)
                .map(|_| match r.field()? {
                    "literal" => Ok(Secret::Literal(r.field()?.to_string())),
                    "env" => Ok(Secret::FromEnv(EnvRef { env: r.field()?.to_string() })),
                    other => Err(DecodeError(format!("unknown header value {other:?}"))),
                })
                .collect::<Result<_, _>>()?;
            Ok((name, values))
        })
        .collect::<Result<_, DecodeError>>()?;
    let dial_timeout = read_opt(r)?;
    let origin = r.field()?.to_string();
    Ok(PlannedHost { url, capabilities, override_path, ca, client, skip_verify, headers, dial_timeout, origin })
}

/// `plan` as fields of `w`, as [`read_plan`] reads it.
pub(crate) fn write_plan(w: &mut Writer, plan: &Plan) {
    w.field(&plan.config_version.to_string());
    w.style(plan.style);
    w.count(plan.dirs.len());
    for d in &plan.dirs {
        w.field(&d.namespace);
        w.field(&d.origin);
        w.flag(d.server.is_some());
        if let Some(s) = &d.server {
            write_host(w, s);
        }
        w.count(d.hosts.len());
        for h in &d.hosts {
            write_host(w, h);
        }
        w.flag(d.needs_stub);
    }
    w.count(plan.mirrors.len());
    for m in &plan.mirrors {
        w.field(&m.namespace);
        w.list(&m.endpoints);
        w.field(&m.origin);
    }
    w.count(plan.legacy_tls.len());
    for t in &plan.legacy_tls {
        w.field(&t.host);
        write_opt(w, t.ca_file.as_deref());
        write_opt(w, t.cert_file.as_deref());
        write_opt(w, t.key_file.as_deref());
        w.flag(t.insecure_skip_verify);
        w.field(&t.origin);
    }
    w.count(plan.shipped.len());
    for s in &plan.shipped {
        w.field(&s.path);
        w.field(&s.content);
        w.field(&s.origin);
    }
    w.count(plan.shipped_conflicts.len());
    for (origin, path) in &plan.shipped_conflicts {
        w.field(origin);
        w.field(path);
    }
}

/// What [`write_plan`] wrote.
pub(crate) fn read_plan(r: &mut Reader) -> Result<Plan, DecodeError> {
    let config_version = r.number()?;
    let style = r.style()?;
    // The least bytes an item of each list takes (its fields' "0:" each, flags "1:0").
    let dirs = (0..r.count(12)?)
        .map(|_| {
            let namespace = r.field()?.to_string();
            let origin = r.field()?.to_string();
            let server = if r.flag()? { Some(read_host(r)?) } else { None };
            let hosts = (0..r.count(8)?).map(|_| read_host(r)).collect::<Result<_, _>>()?;
            let needs_stub = r.flag()?;
            Ok(Rc::new(HostsDir { namespace, origin, server, hosts, needs_stub }))
        })
        .collect::<Result<_, DecodeError>>()?;
    let mirrors = (0..r.count(6)?)
        .map(|_| Ok(LegacyMirror { namespace: r.field()?.to_string(), endpoints: r.list()?, origin: r.field()?.to_string() }))
        .collect::<Result<_, DecodeError>>()?;
    let legacy_tls = (0..r.count(12)?)
        .map(|_| {
            Ok(LegacyTls {
                host: r.field()?.to_string(),
                ca_file: read_opt(r)?,
                cert_file: read_opt(r)?,
                key_file: read_opt(r)?,
                insecure_skip_verify: r.flag()?,
                origin: r.field()?.to_string(),
            })
        })
        .collect::<Result<_, DecodeError>>()?;
    let shipped = (0..r.count(6)?)
        .map(|_| Ok(ShippedFile { path: r.field()?.to_string(), content: r.field()?.to_string(), origin: r.field()?.to_string() }))
        .collect::<Result<_, DecodeError>>()?;
    let shipped_conflicts = (0..r.count(4)?).map(|_| Ok((r.field()?.to_string(), r.field()?.to_string()))).collect::<Result<_, DecodeError>>()?;
    Ok(Plan { config_version, style, dirs, mirrors, legacy_tls, shipped, shipped_conflicts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OutputStyle, Project};

    fn round_trip(plan: &Plan) -> Plan {
        let mut w = Writer::new("plan");
        write_plan(&mut w, plan);
        let mut r = Reader(&w.0);
        r.format("plan").unwrap();
        let back = read_plan(&mut r).unwrap();
        r.end("plan").unwrap();
        back
    }

    /// The presets and the examples, in both output styles: every kind of planned item.
    fn projects() -> Vec<Project> {
        let mut out: Vec<Project> = crate::presets::all().into_iter().map(|p| p.project).collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            out.push(crate::load::project_from_json(&std::fs::read_to_string(entry.path()).unwrap()).unwrap());
        }
        let legacy: Vec<Project> = out.iter().map(|p| Project { output: OutputStyle::Legacy, ..p.clone() }).collect();
        out.extend(legacy);
        out
    }

    #[test]
    fn every_plan_crosses_unchanged() {
        // (Headers and client certificates: `every_field_of_a_host_crosses`.)
        let (mut dirs, mut mirrors, mut tls, mut shipped) = (0, 0, 0, 0);
        for p in projects() {
            let plan = crate::plan::plan(&p);
            assert_eq!(round_trip(&plan), plan, "{p:?}");
            dirs += plan.dirs.len();
            mirrors += plan.mirrors.len();
            tls += plan.legacy_tls.len();
            shipped += plan.shipped.len();
        }
        assert!(dirs > 0 && mirrors > 0 && tls > 0 && shipped > 0, "{dirs} {mirrors} {tls} {shipped}");
    }

    #[test]
    fn every_field_of_a_host_crosses() {
        let host = PlannedHost {
            url: "https://m.example.com:5000/v2/x".into(),
            capabilities: vec![Capability::Pull, Capability::Resolve, Capability::Push, Capability::Referrers],
            override_path: true,
            ca: vec!["/etc/a.crt".into(), "/etc/b.crt".into()],
            client: vec![ClientCert::Combined("/c.pem".into()), ClientCert::Pair { cert: "/c.crt".into(), key: "/c.key".into() }],
            skip_verify: true,
            headers: vec![("Authorization".into(), vec![Secret::Literal("Basic 密码 x:y".into()), Secret::FromEnv(EnvRef { env: "TOKEN".into() })])],
            dial_timeout: Some("3s".into()),
            origin: "registries[0].endpoints[0]".into(),
        };
        let plan = Plan {
            config_version: 3,
            style: OutputStyle::HostsDir,
            dirs: vec![Rc::new(HostsDir { namespace: "_default".into(), origin: "air_gap".into(), server: Some(host.clone()), hosts: vec![host, PlannedHost::default()], needs_stub: true })],
            mirrors: vec![LegacyMirror { namespace: "*".into(), endpoints: vec!["https://a".into(), String::new()], origin: "o".into() }],
            legacy_tls: vec![LegacyTls { host: "h:1".into(), ca_file: Some(String::new()), cert_file: None, key_file: Some("/k".into()), insecure_skip_verify: true, origin: "t".into() }],
            shipped: vec![ShippedFile { path: "certs.d/h/ca.crt".into(), content: "-----BEGIN\n1:2:\n".into(), origin: "o".into() }],
            shipped_conflicts: vec![("a".into(), "b".into())],
        };
        assert_eq!(round_trip(&plan), plan);
    }

    #[test]
    fn a_cut_plan_is_refused_without_a_panic() {
        let plan = crate::plan::plan(&crate::presets::by_id("dockerhub-mirrors").unwrap().project);
        let mut w = Writer::new("plan");
        write_plan(&mut w, &plan);
        for n in (0..w.0.len()).filter(|&n| w.0.is_char_boundary(n)) {
            let mut r = Reader(&w.0[..n]);
            let whole = r.format("plan").and_then(|_| read_plan(&mut r)).and_then(|_| r.end("plan"));
            assert!(whole.is_err(), "{n}: {}", &w.0[..n]);
        }
    }
}
