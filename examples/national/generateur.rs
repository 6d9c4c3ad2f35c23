//! Synthetic national inputs: every département of the COG, about 1 600
//! QPV on about 800 communes, five quarters of job seekers (aggregated, and
//! optionally one row per job seeker), missions locales, targets and
//! funding, in the layouts of `docs/formats.md`.
//!
//! Shared by `examples/national` (the benchmark's inputs) and the
//! integration tests (small national runs). Plain `std`, a fixed seed: the
//! same arguments give the same bytes.

use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use qpv_annexe::modele::departements::COG;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Taille {
    /// The first `departements` of the COG.
    pub departements: usize,
    /// QPV over the whole country.
    pub qpv: usize,
    /// Rows of `demandeurs_emploi_detail.csv`; none when 0.
    pub detail: u64,
    /// Also write the aggregated export (`demandeurs_emploi_national.csv`).
    pub agrege: bool,
    /// The council's year: quarters from its previous year's T4 to its T4
    /// (2024 on: the 2024 QPV list, codes `QN…`).
    pub annee: i32,
}

impl Default for Taille {
    fn default() -> Self {
        Taille {
            departements: COG.len(),
            qpv: 1600,
            detail: 0,
            agrege: true,
            annee: 2020,
        }
    }
}

/// splitmix64: enough randomness for invented figures, no dependency.
struct Hasard(u64);

impl Hasard {
    fn suivant(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `[0, 1)`.
    fn unite(&mut self) -> f64 {
        (self.suivant() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn entre(&mut self, bas: u64, haut: u64) -> u64 {
        bas + self.suivant() % (haut - bas + 1)
    }
}

/// The five quarters up to the council's: `2019T4` … `2020T4`.
fn periodes(annee: i32) -> [String; 5] {
    [
        format!("{}T4", annee - 1),
        format!("{annee}T1"),
        format!("{annee}T2"),
        format!("{annee}T3"),
        format!("{annee}T4"),
    ]
}

/// Share of each public in a QPV and outside, as in the sample.
const PUBLICS: [(f64, f64); 5] = [
    (0.12, 0.10), // moins de 26 ans
    (0.29, 0.27), // 50 ans et plus
    (0.53, 0.46), // longue durée
    (0.51, 0.28), // infra-bac
    (0.22, 0.11), // sans diplôme
];

struct Commune {
    code: String,
    nom: String,
    /// Its EPCI (SIREN, name) outside the Grand Paris, as the ANCT list
    /// gives it; none inside (as in the sample's earlier layout).
    epci: Option<(String, String)>,
    /// Job seekers living outside QPV, first quarter.
    hors_qpv: f64,
}

struct Qpv {
    code: String,
    nom: String,
    /// Indexes into the département's communes, with the share of the
    /// quarter's job seekers living in each.
    communes: Vec<(usize, f64)>,
    base: f64,
}

struct Departement {
    code: &'static str,
    nom: &'static str,
    communes: Vec<Commune>,
    qpv: Vec<Qpv>,
    /// Job seekers of the communes without QPV, first quarter.
    reste: f64,
}

fn code_commune(dep: &str, n: usize) -> String {
    if dep.len() == 3 {
        format!("{dep}{n:02}")
    } else {
        format!("{dep}{n:03}")
    }
}

fn territoire(taille: &Taille, h: &mut Hasard) -> Vec<Departement> {
    let n_dep = taille.departements.clamp(1, COG.len());
    let mut deps = Vec::with_capacity(n_dep);
    for (i, d) in COG.iter().take(n_dep).enumerate() {
        // QPV spread evenly, the remainder to the first départements.
        let n_qpv = (taille.qpv / n_dep + usize::from(i < taille.qpv % n_dep)).max(1);
        // About two QPV per commune that has any.
        let n_communes = n_qpv.div_ceil(2).max(1);
        let communes: Vec<Commune> = (0..n_communes)
            .map(|c| Commune {
                code: code_commune(d.code, c * 3 + 1),
                nom: format!("Commune {} de {}", c + 1, d.nom),
                epci: epci(i, d.code, d.nom, c),
                hors_qpv: h.entre(2_000, 25_000) as f64,
            })
            .collect();
        let qpv = (0..n_qpv)
            .map(|q| {
                let principale = q % n_communes;
                // One QPV in twelve lies on two communes.
                let communes = if n_communes > 1 && q % 12 == 5 {
                    let part = 0.3 + 0.4 * h.unite();
                    vec![
                        (principale, part),
                        ((principale + 1) % n_communes, 1.0 - part),
                    ]
                } else {
                    vec![(principale, 1.0)]
                };
                let dep3 = if d.code.len() == 2 {
                    format!("0{}", d.code)
                } else {
                    d.code.to_string()
                };
                Qpv {
                    code: format!(
                        "{}{dep3}{:03}",
                        if taille.annee >= 2024 { "QN" } else { "QP" },
                        q + 1
                    ),
                    nom: format!("Quartier {} ({})", q + 1, d.nom),
                    communes,
                    base: h.entre(150, 2_500) as f64,
                }
            })
            .collect();
        deps.push(Departement {
            code: d.code,
            nom: d.nom,
            communes,
            qpv,
            reste: h.entre(20_000, 120_000) as f64,
        });
    }
    deps
}

/// The départements of the Métropole du Grand Paris, whose level between
/// commune and département is the EPT.
const GRAND_PARIS: [&str; 4] = ["75", "92", "93", "94"];

/// The EPCI of the `c`-th commune of the `i`-th département: three
/// communes each, a SIREN of 9 digits, the nature in the name as INSEE
/// writes it.
fn epci(i: usize, dep: &str, nom: &str, c: usize) -> Option<(String, String)> {
    if GRAND_PARIS.contains(&dep) {
        return None;
    }
    let k = c / 3;
    let nature = ["CA", "CC", "CU", "CA"][k % 4];
    Some((
        format!("2{i:02}{k:06}"),
        format!("{nature} Pays {} ({nom})", k + 1),
    ))
}

/// Counts of one territory for one quarter: ABC, then the five publics.
type Compte = [u64; 6];

fn compte(total: f64, en_qpv: bool, h: &mut Hasard) -> Compte {
    let abc = total.round() as u64;
    let mut c = [abc, 0, 0, 0, 0, 0];
    for (i, (qpv, hors)) in PUBLICS.iter().enumerate() {
        let part = if en_qpv { *qpv } else { *hors } * (0.9 + 0.2 * h.unite());
        c[i + 1] = ((abc as f64) * part).round().min(abc as f64) as u64;
    }
    c
}

fn ajouter(a: &mut Compte, b: &Compte) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn creer(chemin: &Path) -> io::Result<BufWriter<std::fs::File>> {
    Ok(BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(chemin)?,
    ))
}

fn ligne_compte(sortie: &mut impl Write, debut: &str, c: &Compte) -> io::Result<()> {
    writeln!(
        sortie,
        "{debut};{};{};{};{};{};{}",
        c[0], c[1], c[2], c[3], c[4], c[5]
    )
}

/// Writes the inputs into `dossier`; returns the number of QPV, of communes
/// with a QPV and of départements.
pub fn generer(dossier: &Path, taille: &Taille) -> io::Result<(usize, usize, usize)> {
    std::fs::create_dir_all(dossier)?;
    let mut h = Hasard(0x5150_2020);
    let deps = territoire(taille, &mut h);
    let premier = &deps[0];

    let mut conseil = String::new();
    writeln!(
        conseil,
        "# Entrées nationales synthétiques (examples/national), chiffres inventés.\n\n\
         [conseil]\n\
         titre = \"Conseil territorial de la politique de la Ville\"\n\
         date = \"2021-04-27\"\n\
         departement = \"{}\"\n\
         nom_departement = \"{}\"\n\
         periode = \"{}T4\"",
        premier.code, premier.nom, taille.annee
    )
    .ok();
    std::fs::write(dossier.join("conseil.toml"), conseil)?;

    let mut r = creer(&dossier.join("referentiel_qpv_national.csv"))?;
    // The EPCI as the ANCT list names them (`siren_epci`, `lib_epci`).
    writeln!(
        r,
        "code_qpv;nom_qpv;code_commune;nom_commune;siren_epci;lib_epci;population"
    )?;
    for d in &deps {
        for q in &d.qpv {
            for (c, _) in &q.communes {
                let c = &d.communes[*c];
                let (siren, lib) = c.epci.clone().unwrap_or_default();
                writeln!(
                    r,
                    "{};{};{};{};{siren};{lib};{}",
                    q.code,
                    q.nom,
                    c.code,
                    c.nom,
                    (q.base * 3.2) as u64
                )?;
            }
        }
    }
    r.flush()?;

    if taille.agrege {
        let mut de = creer(&dossier.join("demandeurs_emploi_national.csv"))?;
        writeln!(
            de,
            "periode;niveau;code;libelle;code_commune;de_abc;de_abc_moins_26;de_abc_50_plus;de_abc_longue_duree;de_abc_infra_bac;de_abc_sans_diplome"
        )?;
        for (t, periode) in periodes(taille.annee).iter().enumerate() {
            let tendance = 1.0 + 0.02 * t as f64;
            for d in &deps {
                let mut communes: Vec<Compte> = vec![[0; 6]; d.communes.len()];
                for q in &d.qpv {
                    let total = q.base * tendance * (0.97 + 0.06 * h.unite());
                    let mut entier = [0; 6];
                    let mut parties = Vec::new();
                    for (c, part) in &q.communes {
                        let p = compte(total * part, true, &mut h);
                        ajouter(&mut communes[*c], &p);
                        ajouter(&mut entier, &p);
                        parties.push((*c, p));
                    }
                    ligne_compte(
                        &mut de,
                        &format!("{periode};qpv;{};{};", q.code, q.nom),
                        &entier,
                    )?;
                    if parties.len() > 1 {
                        for (c, p) in parties {
                            let c = &d.communes[c];
                            ligne_compte(
                                &mut de,
                                &format!("{periode};qpv;{};{};{}", q.code, q.nom, c.code),
                                &p,
                            )?;
                        }
                    }
                }
                let mut departement = compte(d.reste * tendance, false, &mut h);
                // Each EPCI's whole figures: the sum of its communes.
                let mut epci: Vec<(String, String, Compte)> = Vec::new();
                for (c, en_qpv) in d.communes.iter().zip(&communes) {
                    let mut total = compte(c.hors_qpv * tendance, false, &mut h);
                    ajouter(&mut total, en_qpv);
                    ajouter(&mut departement, &total);
                    ligne_compte(
                        &mut de,
                        &format!("{periode};commune;{};{};", c.code, c.nom),
                        &total,
                    )?;
                    if let Some((siren, nom)) = &c.epci {
                        match epci.last_mut() {
                            Some((s, _, somme)) if s == siren => ajouter(somme, &total),
                            _ => epci.push((siren.clone(), nom.clone(), total)),
                        }
                    }
                }
                for (siren, nom, somme) in &epci {
                    ligne_compte(&mut de, &format!("{periode};epci;{siren};{nom};"), somme)?;
                }
                ligne_compte(
                    &mut de,
                    &format!("{periode};departement;{};{};", d.code, d.nom),
                    &departement,
                )?;
            }
        }
        de.flush()?;
    }

    if taille.detail > 0 {
        detail(dossier, &deps, taille, &mut h)?;
    }

    let mut ml = creer(&dossier.join("missions_locales_national.csv"))?;
    writeln!(
        ml,
        "annee;departement;code_structure;nom_structure;jeunes_accompagnes;jeunes_accompagnes_qpv;entrees_gj;entrees_gj_qpv;entrees_pacea;entrees_pacea_qpv"
    )?;
    let mut obj = creer(&dossier.join("objectifs_national.csv"))?;
    writeln!(obj, "annee;departement;dispositif;objectif")?;
    for d in &deps {
        for annee in [taille.annee - 1, taille.annee] {
            for s in 1..=2 {
                let jeunes = h.entre(1_000, 6_000);
                let gj = jeunes / 15;
                let pacea = jeunes / 3;
                writeln!(
                    ml,
                    "{annee};{};ML{}{s:02};Mission locale {s} ({});{jeunes};{};{gj};{};{pacea};nd",
                    d.code,
                    d.code,
                    d.nom,
                    jeunes * 18 / 100,
                    gj * 21 / 100
                )?;
            }
            writeln!(
                obj,
                "{annee};{};Garantie jeunes;{}",
                d.code,
                h.entre(100, 800)
            )?;
            writeln!(obj, "{annee};{};PACEA;{}", d.code, h.entre(500, 3_000))?;
        }
    }
    ml.flush()?;
    obj.flush()?;

    let mut f = creer(&dossier.join("financements_national.csv"))?;
    writeln!(
        f,
        "dispositif;vague;porteur;intitule;code_commune;code_qpv;localisation;montant_eur;statut;date_decision"
    )?;
    const STATUTS: [&str; 4] = ["retenu", "retenu", "en_instruction", "refuse"];
    for d in &deps {
        for (i, q) in d.qpv.iter().enumerate().take(6) {
            let c = &d.communes[q.communes[0].0];
            let (code_qpv, localisation) = match i % 3 {
                0 => (q.code.as_str(), "qpv"),
                1 => ("", "proximite_qpv"),
                _ => ("", "hors_qpv"),
            };
            writeln!(
                f,
                "DSIL relance;{};Ville ({});Projet {};{};{code_qpv};{localisation};{};{};",
                1 + i % 2,
                c.nom,
                i + 1,
                c.code,
                h.entre(20, 1_500) * 1_000,
                STATUTS[i % 4]
            )?;
        }
    }
    f.flush()?;

    let communes_avec_qpv = deps.iter().map(|d| d.communes.len()).sum();
    let qpv = deps.iter().map(|d| d.qpv.len()).sum();
    Ok((qpv, communes_avec_qpv, deps.len()))
}

/// One row per job seeker and quarter: `demandeurs_emploi_detail.csv`.
/// Rows are drawn over the communes in proportion to their size; a row is in
/// a QPV with the QPV's share of the commune.
fn detail(dossier: &Path, deps: &[Departement], taille: &Taille, h: &mut Hasard) -> io::Result<()> {
    let lignes = taille.detail;
    let periodes = periodes(taille.annee);
    // Every (commune, QPV or none) place, with its weight.
    let mut lieux: Vec<(&str, &str, f64)> = Vec::new();
    for d in deps {
        for (i, c) in d.communes.iter().enumerate() {
            lieux.push((&c.code, "", c.hors_qpv));
            for q in &d.qpv {
                for (ci, part) in &q.communes {
                    if *ci == i {
                        lieux.push((&c.code, &q.code, q.base * part));
                    }
                }
            }
        }
    }
    let total: f64 = lieux.iter().map(|l| l.2).sum();
    let mut cumul = Vec::with_capacity(lieux.len());
    let mut s = 0.0;
    for l in &lieux {
        s += l.2 / total;
        cumul.push(s);
    }
    let mut sortie = creer(&dossier.join("demandeurs_emploi_detail.csv"))?;
    writeln!(
        sortie,
        "periode;code_commune;code_qpv;age;anciennete_mois;niveau_formation;diplome;categorie"
    )?;
    const CATEGORIES: [&str; 6] = ["A", "A", "A", "B", "C", "D"];
    let par_periode = lignes / periodes.len() as u64;
    let mut ligne = String::with_capacity(64);
    for (t, periode) in periodes.iter().enumerate() {
        let n = if t + 1 == periodes.len() {
            lignes - par_periode * (periodes.len() as u64 - 1)
        } else {
            par_periode
        };
        for _ in 0..n {
            let u = h.unite();
            let i = cumul.partition_point(|c| *c < u).min(lieux.len() - 1);
            let (commune, qpv, _) = lieux[i];
            let x = h.suivant();
            ligne.clear();
            let _ = writeln!(
                ligne,
                "{periode};{commune};{qpv};{};{};{};{};{}",
                16 + (x % 50),
                (x >> 8) % 40,
                1 + (x >> 16) % 8,
                u8::from(!(x >> 24).is_multiple_of(5)),
                CATEGORIES[((x >> 32) % 6) as usize]
            );
            sortie.write_all(ligne.as_bytes())?;
        }
    }
    sortie.flush()
}
