//! `cargo xtask import` on an excerpt of the vendor's files: what it
//! writes, that it writes the same again, what it keeps, and what it
//! reports.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch checkout: `Cargo.toml` and `api-spec/api.yaml`, nothing else.
struct Checkout(PathBuf);

impl Checkout {
    fn new(name: &str) -> Checkout {
        let dir = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("api-spec")).unwrap();
        std::fs::write(dir.join("Cargo.toml"), "[workspace]\n").unwrap();
        let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-spec/api.yaml");
        std::fs::copy(api, dir.join("api-spec/api.yaml")).unwrap();
        Checkout(dir)
    }

    fn spec(&self, path: &str) -> PathBuf {
        self.0.join("api-spec").join(path)
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.spec(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Runs the importer on `vendor`; its output, and whether it succeeded.
    fn import(&self, vendor: &Path) -> (String, bool) {
        let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("import")
            .arg(vendor)
            .current_dir(&self.0)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (text, out.status.success())
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vendor")
}

/// A copy of the fixture whose `apiInfo.json` says each `from` as `to`:
/// the vendor publishing a new version.
fn vendor_update(name: &str, changes: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-vendor-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixture(), &dir);
    let info = dir.join("lib/schemas/apiInfo.json");
    let mut text = std::fs::read_to_string(&info).unwrap();
    for (from, to) in changes {
        assert_eq!(
            text.matches(from).count(),
            1,
            "the fixture says {from:?} once"
        );
        text = text.replace(from, to);
    }
    std::fs::write(&info, text).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn the_import_is_a_valid_spec_and_the_same_the_second_time() {
    let checkout = Checkout::new("again");
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    assert!(out.contains("imported 5 resources, 16 actions"), "{out}");
    assert!(out.contains("api-spec/ is a valid spec"), "{out}");
    let first = checkout.read("resources/dataTable.yaml");
    let schemas = checkout.read("schemas/data.yaml");

    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    assert!(out.contains(": 0 files wrote,"), "{out}");
    assert_eq!(checkout.read("resources/dataTable.yaml"), first);
    assert_eq!(checkout.read("schemas/data.yaml"), schemas);
}

#[test]
fn what_the_vendor_states_arrives_in_the_spec() {
    let checkout = Checkout::new("faithful");
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    let table = checkout.read("resources/dataTable.yaml");
    // Path components become typed IDs; the full scope list comes from
    // the reference page; the vendor's `string` parameters that take
    // numbers are integers.
    for expected in [
        "path: /applications/{APPLICATION_ID}/data-tables/{DATA_TABLE_ID}",
        "schema: { $ref: DataTableId }",
        "- all.Application.bounded",
        "- dataTable.*",
        "200:\n        description: Data table information\n        schema: { $ref: DataTable }",
        "404:\n        description: Error if data table was not found\n        schema: { $ref: ApiErrorBody }",
    ] {
        assert!(table.contains(expected), "{expected:?} in:\n{table}");
    }
    let slugs = checkout.read("resources/experienceSlugs.yaml");
    assert!(slugs.contains("content_type: application/json"), "{slugs}");
    let ids = checkout.read("schemas/ids.yaml");
    assert!(
        ids.contains(
            "DataTableId: { description: ID associated with the data table, $ref: ObjectId }"
        ),
        "{ids}"
    );
}

#[test]
fn the_vendors_broken_data_is_repaired_and_reported_with_file_and_key() {
    let checkout = Checkout::new("repairs");
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    for expected in [
        "repaired: lib/schemas/orgInvitesUser.json /items/properties: the schema's own keys (`description`, `properties`, `title`, `type`) are written inside `properties`",
        "repaired: lib/schemas/instanceOrgPost.json /properties/members/maxItems: `maxItems: \"10\"` is a number written as a string; read as 10",
    ] {
        assert!(out.contains(expected), "{expected:?} in:\n{out}");
    }
}

#[test]
fn a_file_a_person_refined_is_kept_and_the_vendors_change_reported() {
    let checkout = Checkout::new("kept");
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    // A person refines one resource file; another stays as imported.
    let refined = checkout.read("resources/dataTable.yaml").replace(
        "summary: Retrieves information on a data table",
        "summary: Reads one data table",
    );
    std::fs::write(checkout.spec("resources/dataTable.yaml"), &refined).unwrap();
    let untouched = checkout.read("resources/dataTableRow.yaml");

    // Same vendor files: the refinement stays, nothing is reported.
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    assert!(
        out.contains("kept api-spec/resources/dataTable.yaml"),
        "{out}"
    );
    assert!(!out.contains("--- spec"), "{out}");
    assert_eq!(checkout.read("resources/dataTable.yaml"), refined);

    // The vendor changes both: the untouched file follows, the refined
    // one is kept and the difference shown.
    let vendor = vendor_update(
        "kept",
        &[
            (
                "\"summary\": \"Deletes a data table\"",
                "\"summary\": \"Deletes a data table forever\"",
            ),
            ("Retrieves the data table row", "Reads the data table row"),
        ],
    );
    let (out, ok) = checkout.import(&vendor);
    assert!(ok, "{out}");
    assert_eq!(checkout.read("resources/dataTable.yaml"), refined);
    assert!(
        out.contains("+    summary: Deletes a data table forever"),
        "{out}"
    );
    let followed = checkout.read("resources/dataTableRow.yaml");
    assert_eq!(
        followed,
        untouched.replace("Retrieves the data table row", "Reads the data table row")
    );
    let _ = std::fs::remove_dir_all(vendor);
}

#[test]
fn the_vendors_body_schemas_are_copied_unchanged_into_the_client_fixtures() {
    let checkout = Checkout::new("fixtures");
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    let dir = checkout.0.join("generated-client/tests/fixtures/vendor");
    let bodies: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("bodies.json")).unwrap()).unwrap();
    assert_eq!(bodies["dataTable.patch"], "dataTablePatch", "{bodies}");
    assert_eq!(
        bodies["experienceSlugs.post"], "experienceSlugPost",
        "{bodies}"
    );
    assert_eq!(bodies.as_object().map(|m| m.len()), Some(6), "{bodies}");
    for stem in [
        "dataTablePatch",
        "dataTableRowInsertUpdate",
        "instanceMemberPatch",
    ] {
        let copied = std::fs::read(dir.join(format!("schemas/{stem}.json"))).unwrap();
        let original = std::fs::read(fixture().join(format!("lib/schemas/{stem}.json"))).unwrap();
        assert!(copied == original, "{stem} is copied byte for byte");
    }
    // Only what a body needs: the schemas of responses stay out.
    assert!(!dir.join("schemas/dataTable.json").exists());
    assert_eq!(
        std::fs::read(dir.join("LICENSE")).unwrap(),
        std::fs::read(fixture().join("LICENSE")).unwrap()
    );

    // A second import writes nothing; a stale copy goes.
    std::fs::write(dir.join("schemas/stale.json"), "{}").unwrap();
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    assert!(out.contains("vendor/: 1 files written or removed"), "{out}");
    assert!(!dir.join("schemas/stale.json").exists());
}

#[test]
fn names_a_person_chose_replace_the_made_ones_and_stale_ones_are_refused() {
    let checkout = Checkout::new("names");
    std::fs::write(
        checkout.spec("import.names"),
        "# chosen names\nDataType ColumnDataType\n",
    )
    .unwrap();
    let (out, ok) = checkout.import(&fixture());
    assert!(ok, "{out}");
    let data_table = checkout.read("schemas/data.yaml");
    assert!(data_table.contains("\nColumnDataType:\n"), "{data_table}");
    assert!(
        data_table.contains("{ $ref: ColumnDataType }"),
        "{data_table}"
    );
    assert!(!data_table.contains("\nDataType:"), "{data_table}");

    // A name the importer no longer makes is refused, with its line, and
    // nothing is written.
    std::fs::write(
        checkout.spec("import.names"),
        "DataType ColumnDataType\nNoSuchShape Anything\n",
    )
    .unwrap();
    let (out, ok) = checkout.import(&fixture());
    assert!(!ok, "{out}");
    assert!(
        out.contains(
            "api-spec/import.names:2: the import makes no inline shape called `NoSuchShape`"
        ),
        "{out}"
    );
    assert_eq!(checkout.read("schemas/data.yaml"), data_table);

    // So is a name another schema has.
    std::fs::write(checkout.spec("import.names"), "DataType DataTable\n").unwrap();
    let (out, ok) = checkout.import(&fixture());
    assert!(!ok, "{out}");
    assert!(
        out.contains("api-spec/import.names:1: `DataTable`, chosen for `DataType`, is the name of another schema"),
        "{out}"
    );
}
