//! Compile-time checks of the generated API: every action can be called with
//! typed inputs and yields typed outputs, and the usual mistakes (a missing
//! argument, the wrong body, a misspelled setter, an ID of the wrong kind, a
//! plain string for an ID, an unknown resource) do not compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
