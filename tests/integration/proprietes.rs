//! Properties over generated inputs (proptest): French number formatting
//! read back gives the rounded number; no text, however odd, makes the
//! readers panic.

use std::path::Path;

use polars::prelude::*;
use proptest::prelude::*;
use qpv_annexe::format;
use qpv_annexe::lecture::{demandeurs, lire_octets, valeurs};

/// Reads `cellules` as the program reads export cells: (status, value).
fn lire_cellules(cellules: &[String]) -> (Vec<Option<u32>>, Vec<Option<f64>>) {
    let df = df!["c" => cellules].unwrap();
    let r = df
        .lazy()
        .select([
            valeurs::statut("c").alias("s"),
            valeurs::valeur("c").alias("v"),
            valeurs::periode_index("c").alias("p"),
        ])
        .collect()
        .unwrap();
    (
        r.column("s").unwrap().u32().unwrap().iter().collect(),
        r.column("v").unwrap().f64().unwrap().iter().collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn formater_puis_lire_redonne_le_nombre(
        nombres in prop::collection::vec((0.0f64..1e10, 0usize..3), 1..32)
    ) {
        let cellules: Vec<String> = nombres.iter().map(|(x, d)| format::nombre(*x, *d)).collect();
        let (statuts, lus) = lire_cellules(&cellules);
        for (((x, d), s), v) in nombres.iter().zip(statuts).zip(lus) {
            prop_assert_eq!(s, Some(0));
            let attendu = format::arrondir(*x, *d as i32);
            prop_assert!((v.unwrap() - attendu).abs() <= attendu.abs() * 1e-12, "{} lu {:?}", attendu, v);
        }
    }

    #[test]
    fn pourcentages_et_montants_relus(x in 0.0f64..1.0, m in 0.0f64..1e9) {
        let cellules = vec![format::pourcentage(x), format::montant(m)];
        let (_, lus) = lire_cellules(&cellules);
        prop_assert_eq!(lus[0], Some(format::arrondir(x * 100.0, 1)));
        prop_assert_eq!(lus[1], Some(format::arrondir(m, 0)));
    }

    #[test]
    fn aucune_cellule_ne_fait_paniquer(cellules in prop::collection::vec(any::<String>(), 1..32)) {
        let (statuts, lus) = lire_cellules(&cellules);
        for (s, v) in statuts.iter().zip(&lus) {
            // A value only where the status says so, never a silent 0.
            prop_assert!(s.is_some());
            prop_assert!(v.is_none() || *s == Some(0), "valeur {:?} avec le statut {:?}", v, s);
        }
    }

    #[test]
    fn aucun_export_ne_fait_paniquer(octets in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(table) = lire_octets(Path::new("x.csv"), &octets, &demandeurs::COLONNES) {
            let _ = demandeurs::assembler(vec![table], Vec::new());
        }
    }

    #[test]
    fn aucun_export_presque_valide_ne_fait_paniquer(
        lignes in prop::collection::vec(prop::collection::vec("[0-9A-Za-zé ;,.\"/-]{0,8}", 0..12), 0..8)
    ) {
        let mut texte = String::from("periode;niveau;code;de_abc;de_abc_moins_26\n");
        for l in &lignes {
            texte.push_str(&l.join(";"));
            texte.push('\n');
        }
        if let Ok(table) = lire_octets(Path::new("x.csv"), texte.as_bytes(), &demandeurs::COLONNES) {
            let _ = demandeurs::assembler(vec![table], Vec::new());
        }
    }
}
