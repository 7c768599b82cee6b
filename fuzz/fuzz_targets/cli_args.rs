//! The CLI's `-H 'Name: value'` and `NAME=VALUE` parsers (the very file the binary compiles):
//! never panic; what they accept is well formed and reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../../cli/src/parse.rs"]
mod parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok((name, value)) = parse::header_line(text) {
        assert!(!name.is_empty() && !name.contains([' ', '\t', ':']));
        assert!(!value.starts_with([' ', '\t']) && !value.ends_with([' ', '\t']));
        assert!(!value.contains(['\r', '\n', '\0']));
        // Only spaces and tabs were dropped: the line is name ':' OWS value OWS.
        assert!(text.starts_with(name) && text.contains(value));
        assert_eq!(parse::header_line(&format!("{name}: {value}")), Ok((name, value)));
    }
    if let Ok((name, value)) = parse::name_value("--param", text) {
        assert!(!name.is_empty() && !name.contains('='));
        assert_eq!(format!("{name}={value}"), text);
    }
});
