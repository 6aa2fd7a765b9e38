//! Configuration: the Leptos settings live in two files (cargo-leptos reads Cargo.toml, the
//! standalone server reads Leptos.toml); they must agree. And `--help` documents every setting.

use app::store::Location;
use clap::{CommandFactory, Parser};
use server::config::Config;
use std::time::Duration;

fn table(path: &str) -> toml::Table {
    std::fs::read_to_string(path).unwrap().parse().unwrap()
}

#[test]
fn leptos_settings_agree() {
    let cargo = table("../Cargo.toml");
    let workspace_meta = &cargo["workspace"]["metadata"]["leptos"].as_array().unwrap()[0];
    let leptos = table("../Leptos.toml");
    let standalone = leptos["package"]["metadata"]["leptos"].as_table().unwrap();
    assert!(!standalone.is_empty());
    for (key, value) in standalone {
        assert_eq!(
            workspace_meta.get(key),
            Some(value),
            "Leptos.toml `{key}` differs from Cargo.toml's [[workspace.metadata.leptos]]"
        );
    }
    // The keys the server needs at run time are all present.
    for key in ["output-name", "site-root", "site-pkg-dir", "site-addr"] {
        assert!(standalone.contains_key(key), "Leptos.toml lacks {key}");
    }
}

#[test]
fn the_standalone_server_reads_leptos_toml() {
    let options = server::leptos_options(std::path::Path::new("../Leptos.toml")).unwrap();
    assert_eq!(options.output_name.as_ref(), "perfect-pitch");
    assert_eq!(options.site_pkg_dir.as_ref(), "pkg");
}

#[test]
fn help_documents_every_setting_and_its_variable() {
    let help = Config::command().render_long_help().to_string();
    for (flag, var) in [
        ("--addr", "PP_ADDR"),
        ("--database", "PP_DATABASE"),
        ("--log", "PP_LOG"),
        ("--leptos-config", "PP_LEPTOS_CONFIG"),
        ("--secure-cookies", "PP_SECURE_COOKIES"),
        ("--demo-account", "PP_DEMO_ACCOUNT"),
        ("--model-calls-per-minute", "PP_MODEL_CALLS_PER_MINUTE"),
        ("--api-requests-per-minute", "PP_API_REQUESTS_PER_MINUTE"),
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        assert!(help.contains(var), "{var} missing from --help");
    }
    Config::command().debug_assert();
}

#[test]
fn flags_override_defaults() {
    let c = Config::try_parse_from([
        "perfect-pitch",
        "--addr",
        "0.0.0.0:8080",
        "--database",
        "/tmp/x.db",
    ])
    .unwrap();
    assert_eq!(c.addr.unwrap().port(), 8080);
    assert_eq!(c.database, Location::Sqlite("/tmp/x.db".into()));
    assert!(!c.secure_cookies && !c.demo_account, "off unless asked for");
    let err = Config::try_parse_from(["perfect-pitch", "--addr", "not-an-address"]).unwrap_err();
    assert!(
        err.to_string().contains("invalid value 'not-an-address'"),
        "{err}"
    );
}

#[test]
fn the_database_setting_names_a_file_or_a_postgres_url() {
    let parse = |v: &str| Config::try_parse_from(["perfect-pitch", "--database", v]);
    assert_eq!(
        parse("sqlite:data/x.sqlite3").unwrap().database,
        Location::Sqlite("data/x.sqlite3".into())
    );
    let c = parse("postgres://pp:s3cret@db.internal:5432/pp").unwrap();
    assert_eq!(
        c.database,
        Location::Postgres("postgres://pp:s3cret@db.internal:5432/pp".into())
    );
    assert_eq!(
        c.database.to_string(),
        "postgres://pp:…@db.internal:5432/pp",
        "the password is never shown"
    );
    assert_eq!(c.database_pool_size, 8);
    assert_eq!(c.pg_options().statement_timeout, Duration::from_secs(10));
    let err = parse("").unwrap_err().to_string();
    assert!(err.contains("the database setting is empty"), "{err}");
    let err = Config::try_parse_from(["perfect-pitch", "--database-pool-size", "0"]).unwrap_err();
    assert!(err.to_string().contains("invalid value '0'"), "{err}");
}

/// A build without the PostgreSQL store says so at start, instead of failing obscurely.
#[cfg(not(feature = "postgres"))]
#[tokio::test]
async fn a_postgres_url_needs_a_build_with_the_postgres_feature() {
    let db = app::store::Db::connect(
        &Location::Postgres("postgres://pp@localhost/pp".into()),
        Default::default(),
    )
    .await;
    let err = format!("{:?}", db.err().expect("no PostgreSQL store in this build"));
    assert!(err.contains("--features postgres"), "{err}");
}

#[test]
fn rate_limits_default_to_the_policy_and_refuse_zero() {
    let c = Config::try_parse_from(["perfect-pitch"]).unwrap();
    let policy = server::limits::RatePolicy::default();
    assert_eq!(c.rates().model.burst, policy.model.burst);
    assert_eq!(c.rates().api.burst, policy.api.burst);
    let c =
        Config::try_parse_from(["perfect-pitch", "--api-requests-per-minute", "100000"]).unwrap();
    assert_eq!(c.rates().api.burst, 100_000);
    assert_eq!(c.rates().api.per, std::time::Duration::from_secs(60));
    let err =
        Config::try_parse_from(["perfect-pitch", "--model-calls-per-minute", "0"]).unwrap_err();
    assert!(err.to_string().contains("invalid value '0'"), "{err}");
}
