//! Property (issue #15): for random small départements — QPV on one or
//! two communes, communes in EPT, small counts — the report `run`
//! publishes always passes the attacker's audit, and the masking stays
//! bounded.

use proptest::prelude::*;

use crate::commun::*;

/// A small deterministic generator (the seed comes from proptest).
struct Hasard(u64);

impl Hasard {
    fn entre(&mut self, min: u64, max: u64) -> u64 {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        min + (z ^ (z >> 31)) % (max - min + 1)
    }
}

/// The six publics of one row: all, then five publics within it, one in
/// four small (0 to 12), as in a small QPV.
fn publics(h: &mut Hasard, tous: u64) -> [u64; 6] {
    let mut p = [tous; 6];
    for x in p.iter_mut().skip(1) {
        *x = if h.entre(0, 3) == 0 {
            h.entre(0, tous.min(12))
        } else {
            h.entre(tous / 10, tous / 2)
        };
    }
    p
}

fn somme(a: [u64; 6], b: [u64; 6]) -> [u64; 6] {
    std::array::from_fn(|i| a[i] + b[i])
}

fn ligne(periode: &str, niveau: &str, code: &str, commune: &str, v: [u64; 6]) -> String {
    let v: Vec<String> = v.iter().map(u64::to_string).collect();
    format!(
        "{periode};{niveau};{code};{code};{commune};{}\n",
        v.join(";")
    )
}

/// Inputs of a random département 92 in `dossier`: `n_communes`
/// communes in one EPT (two from four communes on), `n_qpv` QPV (every
/// third on two communes, given with its parts), two quarters; with
/// `ept_par_commune`, each commune is an EPT of its own. An odd seed
/// gives EPCI instead of EPT (the ANCT list's `siren_epci`, rows of level
/// `epci`).
pub fn departement_au_hasard(
    dossier: &std::path::Path,
    graine: u64,
    (n_communes, n_qpv): (usize, usize),
    ept_par_commune: bool,
) {
    let mut h = Hasard(graine);
    let communes: Vec<String> = (0..n_communes)
        .map(|i| format!("920{:02}", i + 1))
        .collect();
    let epci = graine % 2 == 1;
    let (niveau_interco, codes_interco) = if epci {
        ("epci", ["200000001", "200000002", "200000003", "200000004"])
    } else {
        ("ept", ["T1", "T2", "T3", "T4"])
    };
    let ept = |c: usize| match (ept_par_commune, c.is_multiple_of(2) || n_communes < 4) {
        (true, _) => codes_interco[c % 4],
        (false, true) => codes_interco[0],
        (false, false) => codes_interco[1],
    };
    let mut referentiel = String::from(if epci {
        "code_qpv;nom_qpv;code_commune;nom_commune;siren_epci;lib_epci\n"
    } else {
        "code_qpv;nom_qpv;code_commune;nom_commune;code_ept;nom_ept\n"
    });
    let quartiers: Vec<(String, Vec<usize>)> = (0..n_qpv)
        .map(|q| {
            let c = q % n_communes;
            let siennes = if q % 3 == 2 && n_communes > 1 {
                vec![c, (c + 1) % n_communes]
            } else {
                vec![c]
            };
            (format!("QP0920{:02}", q + 1), siennes)
        })
        .collect();
    for (q, siennes) in &quartiers {
        for &c in siennes {
            let (code, e) = (&communes[c], ept(c));
            referentiel.push_str(&format!(
                "{q};Quartier {q};{code};Commune {code};{e};EPT {e}\n"
            ));
        }
    }
    std::fs::write(dossier.join("referentiel_qpv_2015.csv"), referentiel).unwrap();
    let mut export = String::from("periode;niveau;code;libelle;code_commune;de_abc;de_abc_moins_26;de_abc_50_plus;de_abc_longue_duree;de_abc_infra_bac;de_abc_sans_diplome\n");
    for periode in ["2020T3", "2020T4"] {
        let mut par_commune = vec![[0u64; 6]; n_communes];
        for (q, siennes) in &quartiers {
            let mut entier = [0u64; 6];
            for &c in siennes {
                let tous = h.entre(20, 200);
                let partie = publics(&mut h, tous);
                if siennes.len() > 1 {
                    export.push_str(&ligne(periode, "qpv", q, &communes[c], partie));
                }
                par_commune[c] = somme(par_commune[c], partie);
                entier = somme(entier, partie);
            }
            export.push_str(&ligne(periode, "qpv", q, "", entier));
        }
        let mut departement = [0u64; 6];
        let mut par_ept = std::collections::BTreeMap::new();
        for (c, en_qpv) in par_commune.iter().enumerate() {
            let tous = h.entre(30, 300);
            let dehors = publics(&mut h, tous);
            let commune = somme(*en_qpv, dehors);
            export.push_str(&ligne(periode, "commune", &communes[c], "", commune));
            let e = par_ept.entry(ept(c)).or_insert([0u64; 6]);
            *e = somme(*e, commune);
            departement = somme(departement, commune);
        }
        for (e, v) in par_ept {
            export.push_str(&ligne(periode, niveau_interco, e, "", v));
        }
        let dehors = publics(&mut h, 500);
        export.push_str(&ligne(
            periode,
            "departement",
            "92",
            "",
            somme(departement, dehors),
        ));
    }
    std::fs::write(dossier.join("demandeurs_emploi_2020.csv"), export).unwrap();
    std::fs::write(
        dossier.join("dispositifs_2020.csv"),
        dispositif_au_hasard(&mut h, &communes, &quartiers),
    )
    .unwrap();
    std::fs::write(
        dossier.join("missions_locales_2020.csv"),
        missions_locales_au_hasard(&mut h),
    )
    .unwrap();
    let conseil = "[conseil]\ntitre = \"Conseil\"\ndate = \"2021-04-27\"\ndepartement = \"92\"\nnom_departement = \"Hauts-de-Seine\"\nperiode = \"2020T4\"\n";
    std::fs::write(dossier.join("conseil.toml"), conseil).unwrap();
}

/// A scheme counting people, in two categories, given for the
/// département, each commune and each QPV with its part in QPV: small
/// counts (0 to 12) where the QPV are, consistent at every level (a QPV on
/// two communes given whole).
fn dispositif_au_hasard(
    h: &mut Hasard,
    communes: &[String],
    quartiers: &[(String, Vec<usize>)],
) -> String {
    let mut lignes = String::from(
        "dispositif;indicateur;categorie;periode;niveau;code;valeur;valeur_qpv;objectif;depuis;au;unite\n",
    );
    let mut ligne = |niveau: &str, code: &str, categorie: &str, v: u64, q: Option<u64>| {
        let q = q.map(|q| q.to_string()).unwrap_or_default();
        lignes.push_str(&format!(
            "Adultes-relais;postes occupés;{categorie};2020T4;{niveau};{code};{v};{q};;;2020-12-31;personnes\n"
        ));
    };
    // Per category: each QPV's part in each of its communes, each
    // commune's count outside QPV.
    let categories = ["femmes", "hommes"];
    let mut par_commune = vec![[(0u64, 0u64); 2]; communes.len()];
    let mut par_qpv = vec![[0u64; 2]; quartiers.len()];
    for (k, (_, siennes)) in quartiers.iter().enumerate() {
        for &c in siennes {
            for j in 0..2 {
                let x = h.entre(0, 12);
                par_qpv[k][j] += x;
                par_commune[c][j].0 += x;
            }
        }
    }
    for commune in par_commune.iter_mut() {
        for c in commune.iter_mut() {
            c.1 = h.entre(0, 20);
        }
    }
    let mut departement = [(0u64, 0u64); 2];
    for (c, code) in communes.iter().enumerate() {
        let [a, b] = par_commune[c];
        ligne("commune", code, "", a.0 + a.1 + b.0 + b.1, Some(a.0 + b.0));
        for (j, cat) in categories.iter().enumerate() {
            let (q, hors) = par_commune[c][j];
            ligne("commune", code, cat, q + hors, Some(q));
            departement[j].0 += q;
            departement[j].1 += q + hors;
        }
    }
    for (k, (q, _)) in quartiers.iter().enumerate() {
        let [a, b] = par_qpv[k];
        ligne("qpv", q, "", a + b, None);
        for (j, cat) in categories.iter().enumerate() {
            ligne("qpv", q, cat, par_qpv[k][j], None);
        }
    }
    let ailleurs = [h.entre(0, 30), h.entre(0, 30)];
    let tout: u64 = (0..2).map(|j| departement[j].1 + ailleurs[j]).sum();
    let qpv: u64 = (0..2).map(|j| departement[j].0).sum();
    ligne("departement", "92", "", tout, Some(qpv));
    for (j, cat) in categories.iter().enumerate() {
        ligne(
            "departement",
            "92",
            cat,
            departement[j].1 + ailleurs[j],
            Some(departement[j].0),
        );
    }
    lignes
}

/// Two or three missions locales with small counts, in all and in QPV.
fn missions_locales_au_hasard(h: &mut Hasard) -> String {
    let mut lignes = String::from(
        "annee;code_structure;nom_structure;jeunes_accompagnes;jeunes_accompagnes_qpv;entrees_gj;entrees_gj_qpv;entrees_pacea;entrees_pacea_qpv;entrees_cej;entrees_cej_qpv\n",
    );
    for s in 0..h.entre(2, 3) {
        let mut champs = Vec::new();
        for _ in 0..4 {
            let tout = h.entre(0, 40);
            champs.push(tout.to_string());
            champs.push(h.entre(tout.saturating_sub(8), tout).to_string());
        }
        lignes.push_str(&format!(
            "2020;ML920{s:02};Mission locale {s};{}\n",
            champs.join(";")
        ));
    }
    lignes
}

/// The quarter's counts of job seekers of the report: how many, how many
/// masked.
fn effectifs_masques(dossier: &std::path::Path) -> (usize, usize) {
    let csv = std::fs::read_to_string(dossier.join("reports/2020T4/indicateurs.csv")).unwrap();
    let effectifs: Vec<&str> = csv
        .lines()
        .filter(|l| l.starts_with("2020T4,") && l.contains(",effectif,"))
        .filter(|l| l.split(',').nth(8) == Some(""))
        .collect();
    let masques = effectifs.iter().filter(|l| l.contains(",secret,")).count();
    (effectifs.len(), masques)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 4, ..ProptestConfig::default() })]

    #[test]
    fn un_departement_au_hasard_passe_l_audit(
        graine in any::<u64>(),
        (n_communes, n_qpv) in (1usize..=4).prop_flat_map(|n| (Just(n), n.max(2)..=6)),
        ept_par_commune in any::<bool>(),
    ) {
        let d = tempfile::tempdir().unwrap();
        departement_au_hasard(d.path(), graine, (n_communes, n_qpv), ept_par_commune);
        let sortie = run(d.path());
        prop_assert!(sortie.status.success(), "{}", stderr(&sortie));
        let audit = commande(d.path(), "audit", &[]);
        prop_assert!(audit.status.success(), "{}", stderr(&audit));
        let (n, masques) = effectifs_masques(d.path());
        eprintln!("{n_communes} communes, {n_qpv} QPV, EPT par commune {ept_par_commune} : {masques} effectifs masqués sur {n}");
        prop_assert!(n > 0);
        // One public in four of a QPV is small (about one count in eight
        // primary): the complements keep the masked share at most 30 %
        // (over 102 drawings: 9 % on average, 21 % at most).
        prop_assert!(masques * 10 <= n * 3, "{masques} masqués sur {n}");
        // Every family's counts, in the manifest: the schemes' and
        // missions locales' small counts (0 to 12 where the QPV are) are
        // masked more, the whole stays under half.
        let manifeste: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(d.path().join("reports/2020T4/manifest.json")).unwrap(),
        )
        .unwrap();
        let secret = &manifeste["secret"];
        eprintln!("{secret}");
        for famille in ["demandeurs_emploi", "dispositifs", "missions_locales"] {
            prop_assert!(secret["familles"][famille]["cases"].as_u64().unwrap() > 0, "{famille}");
        }
        prop_assert!(secret["part_masquee"].as_f64().unwrap() <= 0.5, "{secret}");
        // An attacker independent of the program's model agrees.
        let attaquant = crate::attaquant::attaquer(d.path());
        prop_assert!(attaquant.is_empty(), "{attaquant:?}");
    }
}

/// Two communes, each an EPT of its own: each EPT's figure in QPV is its
/// commune's, equal by construction. The global pass masks such twins
/// together (masked one at a time, each gave the other away and the pass
/// masked, step by step, 79 of the quarter's 96 counts).
#[test]
fn un_ept_d_une_seule_commune_est_masque_avec_elle() {
    let d = tempfile::tempdir().unwrap();
    departement_au_hasard(d.path(), 1740269425650650571, (2, 4), true);
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let (n, masques) = effectifs_masques(d.path());
    assert!(masques * 10 <= n * 3, "{masques} masqués sur {n}");
}

/// Four communes, each an EPT of its own: the greedy pass alone masked 93
/// of the quarter's 150 counts (no complement alone or in pairs among the
/// cheapest, then the cheapest, step by step); searching the complements
/// through the sums and publishing again those not needed masked 10, but
/// left the parts outside QPV unprotected (92001's long-term job seekers:
/// 46 in all, 37 + 5 in its QPV, 4 outside). With them in the linked
/// tables (issue 30) the quarter masks 37: a quarter at most.
#[test]
fn quatre_communes_chacune_son_ept_sont_peu_masquees() {
    let d = tempfile::tempdir().unwrap();
    departement_au_hasard(d.path(), 10742482934048376584, (4, 5), true);
    let sortie = run(d.path());
    assert!(sortie.status.success(), "{}", stderr(&sortie));
    let audit = commande(d.path(), "audit", &[]);
    assert!(audit.status.success(), "{}", stderr(&audit));
    let (n, masques) = effectifs_masques(d.path());
    assert!(masques * 4 <= n, "{masques} masqués sur {n}");
}
