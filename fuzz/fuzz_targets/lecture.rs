//! Any bytes given as a job-seeker export or a QPV referential must be
//! either accepted or refused with located problems: never a panic.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use qpv_annexe::lecture::{demandeurs, lire_octets, referentiel};

fuzz_target!(|octets: &[u8]| {
    if let Ok(table) = lire_octets(Path::new("demandeurs_emploi_fuzz.csv"), octets, &demandeurs::COLONNES) {
        let _ = demandeurs::assembler(vec![table], Vec::new());
    }
    let _ = lire_octets(Path::new("referentiel_qpv_fuzz.csv"), octets, &referentiel::COLONNES);
});
