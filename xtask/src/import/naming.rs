//! Names the importer makes: schema names from the vendor's words.
//! (The generator makes the Rust names from these; see codegen's naming.)

use heck::{ToShoutySnakeCase, ToUpperCamelCase};

/// `devicePost` → `DevicePost`, `$date` → `Date`, `3d` → `V3d`; a word
/// with no letter or digit → `Value`.
pub fn upper_camel(word: &str) -> String {
    let camel = word.to_upper_camel_case();
    match camel.chars().next() {
        None => "Value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        Some(_) => camel,
    }
}

/// A path variable as the spec writes it: `applicationId` →
/// `APPLICATION_ID`.
pub fn path_variable(name: &str) -> String {
    name.to_shouty_snake_case()
}

/// The name of one item of a list called `plural` (`Tags` → `Tag`,
/// `Entries` → `Entry`); a word that is not a plural is returned with
/// `Item` appended.
pub fn singular(plural: &str) -> String {
    if let Some(stem) = plural.strip_suffix("ies") {
        if !stem.is_empty() {
            return format!("{stem}y");
        }
    }
    for ending in ["sses", "shes", "ches", "xes"] {
        if let Some(stem) = plural.strip_suffix(ending) {
            return format!("{stem}{}", &ending[..ending.len() - 2]);
        }
    }
    if plural.ends_with('s')
        && !plural.ends_with("ss")
        && !plural.ends_with("us")
        && !plural.ends_with("is")
        && plural.len() > 3
    {
        return plural[..plural.len() - 1].to_owned();
    }
    format!("{plural}Item")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_a_person_would_write_them() {
        assert_eq!(upper_camel("devicePost"), "DevicePost");
        assert_eq!(upper_camel("$date"), "Date");
        assert_eq!(upper_camel("3d"), "V3d");
        assert_eq!(upper_camel("$$"), "Value");
        assert_eq!(path_variable("applicationId"), "APPLICATION_ID");
        assert_eq!(singular("Tags"), "Tag");
        assert_eq!(singular("Entries"), "Entry");
        assert_eq!(singular("Boxes"), "Box");
        assert_eq!(singular("Status"), "StatusItem");
        assert_eq!(singular("Items"), "Item");
        assert_eq!(singular("Data"), "DataItem");
    }
}
