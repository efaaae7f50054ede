#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| knooppunt_fuzz_checks::documents(data));
