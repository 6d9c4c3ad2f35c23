//! Documents: the departmental workbook, the PDF summary and
//! `indicateurs.csv`. The tables are built once (`tableaux`) and drawn by
//! each renderer; French formats live in `format`.

pub mod communes;
pub mod csv;
pub mod intercommunalites;
pub mod subventions;
pub mod table_des_dispositifs;
pub mod table_des_financements;
pub mod table_des_qpv;
pub mod table_des_structures;
pub mod tableaux;

pub mod pdf;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::erreur::Resultat;
use crate::indicateurs::{Indicateurs, MissionsLocalesCalculees};
use crate::modele::{niveaux, ruptures, Periode};
use crate::rapport::chemins::{Fichiers, Format};
use crate::rapport::version::{relatif, Rectification, Versions};
use crate::reglages::Reglages;
pub use communes::ContenuCommune;
use tableaux::{Index, Tableau};

/// The bars of the chart by QPV: each QPV's name and its count (columns 2
/// and 4 of the table "Par QPV"), largest first, masked or missing last.
pub(crate) fn barres_par_qpv(t: &Tableau) -> Vec<(&String, &tableaux::Cellule)> {
    let mut barres: Vec<(&String, &tableaux::Cellule)> = t
        .lignes
        .iter()
        .filter_map(|l| match (l.get(1), l.get(3)) {
            (Some(tableaux::Cellule::Texte(nom)), Some(c)) => Some((nom, c)),
            _ => None,
        })
        .collect();
    let valeur = |c: &tableaux::Cellule| match c {
        tableaux::Cellule::Effectif(v) => *v,
        _ => -1.0,
    };
    barres.sort_by(|a, b| valeur(b.1).total_cmp(&valeur(a.1)));
    barres
}

/// Excel's limit on a chart's alternative text (UTF-16 units).
pub(crate) const ALT_EXCEL: usize = 255;

/// What a bar chart shows, for a screen reader (the PDF's figure, the
/// workbook's chart): its title and each bar's label and figure, in the
/// chart's order; within `limite` characters, the bars that fit, the
/// others counted (they are in the table beside the chart).
pub(crate) fn description_des_barres<'a>(
    titre: &str,
    barres: impl Iterator<Item = (&'a String, &'a tableaux::Cellule)>,
    limite: Option<usize>,
) -> String {
    let valeurs: Vec<String> = barres.map(|(l, c)| format!("{l} {}", c.texte())).collect();
    let Some(limite) = limite else {
        return format!("{titre} : {}.", valeurs.join(", "));
    };
    let mut texte = format!("{titre} : ");
    for (i, v) in valeurs.iter().enumerate() {
        let reste = valeurs.len() - i;
        let suite = format!("… et {reste} autres dans le tableau.");
        let separateur = if i == 0 { "" } else { ", " };
        if texte.encode_utf16().count() + separateur.len() + v.encode_utf16().count() + suite.len()
            > limite
        {
            return format!("{texte}{separateur}{suite}");
        }
        texte.push_str(separateur);
        texte.push_str(v);
    }
    texte.push('.');
    texte
}

/// What the chart of the series `serie` shows, for a screen reader: each
/// series' figures by quarter (the PDF draws them as indices); `abregee`,
/// only its first and last quarters (Excel's limit).
pub(crate) fn description_de_la_serie(serie: &Tableau, abregee: bool) -> String {
    let series: Vec<String> = (1..serie.entetes.len().min(3))
        .map(|j| {
            let points: Vec<(String, String)> = serie
                .lignes
                .iter()
                .filter_map(|l| Some((l.first()?.texte(), l.get(j)?.texte())))
                .collect();
            match (abregee, points.first(), points.last()) {
                (true, Some((p0, v0)), Some((pn, vn))) => {
                    format!("{} : {v0} au {p0}, {vn} au {pn}", serie.entetes[j])
                }
                _ => {
                    let tous: Vec<String> =
                        points.iter().map(|(p, v)| format!("{p} {v}")).collect();
                    format!("{} : {}", serie.entetes[j], tous.join(", "))
                }
            }
        })
        .collect();
    let texte = format!("{}. {}.", serie.titre, series.join(" ; "));
    if abregee && texte.encode_utf16().count() > ALT_EXCEL {
        let coupe: String = texte.chars().take(ALT_EXCEL - 1).collect();
        return format!("{coupe}…");
    }
    texte
}

/// The warning on the first sheet and page of an internal report.
pub const AVERTISSEMENT_INTERNE: &str =
    "USAGE INTERNE — NON DIFFUSABLE : chiffres sans secret statistique";

/// What the departmental documents show, built once for all renderers.
pub struct Contenu {
    pub synthese: Tableau,
    /// The département's demand, whole and in QPV, by quarter.
    pub serie: Tableau,
    pub profil: Tableau,
    pub par_qpv: Tableau,
    pub par_commune: Tableau,
    /// By EPT or EPCI; no sheet when the département has neither.
    pub par_interco: Tableau,
    pub intercommunalites: intercommunalites::Intercommunalites,
    pub messages: Vec<String>,
    /// Titled groups of notes: sources, definitions, signs, checks.
    pub notes: Vec<(String, Vec<String>)>,
    /// The footnote under the summary: source and signs.
    pub pied: String,
    /// The QPV table, when the département has QPV of the period's list.
    pub quartiers: Option<SectionQuartiers>,
    pub missions_locales: Option<SectionMissionsLocales>,
    /// Scheme counts, when a scheme file was given.
    pub dispositifs: Option<SectionDispositifs>,
    /// The calls for projects to come, when a calendar was given.
    pub calendrier: Option<(Tableau, String)>,
    /// Structures and labels: sentences, counts, list, source.
    pub structures: Option<SectionStructures>,
    pub financements: Option<SectionFinancements>,
    /// "Évolutions depuis le trimestre précédent", when an annex was
    /// published for it: key figures, then revised ones.
    pub depuis_le_precedent: Option<[Tableau; 2]>,
    /// The document's rectified version (set per document).
    pub version: Option<Rectification>,
}

/// Missions locales: the département's table, by structure, sentences.
pub struct SectionMissionsLocales {
    pub tableau: Tableau,
    pub par_structure: Tableau,
    pub messages: Vec<String>,
    pub source: String,
}

/// The QPV table: "21 quartiers accueillant 103 000 habitants", the
/// counts by territory, every QPV by EPT or EPCI and commune.
pub struct SectionQuartiers {
    pub phrase: String,
    pub decompte: Tableau,
    pub liste: Tableau,
    pub source: String,
}

impl SectionQuartiers {
    fn new(reglages: &Reglages, indicateurs: &Indicateurs, index: &Index) -> Option<Self> {
        let c = &reglages.conseil;
        let phrase = table_des_qpv::phrase(index, niveaux::DEPARTEMENT, &c.departement)?;
        let t = &indicateurs.territoires;
        let inter = intercommunalites::Intercommunalites::de(index);
        let ou = if inter.aucune() {
            "chaque commune".to_string()
        } else {
            format!("{} et commune", inter.chaque())
        };
        let mut source = format!(
            "Source : référentiel des quartiers prioritaires ({}). Un quartier sur plusieurs communes est compté une fois, dans {ou} où il s'étend.",
            noms_de_fichiers(&reglages.entrees.referentiel)
        );
        if table_des_qpv::avec_population(index, niveaux::DEPARTEMENT, &c.departement) {
            source.push_str(" Habitants : la population du quartier que donne le référentiel ; ceux d'un quartier intercommunal dans l'une de ses communes ne sont pas connus (nd).");
        }
        Some(SectionQuartiers {
            phrase,
            decompte: table_des_qpv::decompte(index, t, (&c.departement, &c.nom_departement)),
            liste: table_des_qpv::liste(index, t, &c.departement),
            source,
        })
    }
}

/// Schemes: one sentence per scheme, the table of every count.
pub struct SectionDispositifs {
    pub phrases: Vec<String>,
    pub tableau: Tableau,
    pub source: String,
}

impl SectionDispositifs {
    fn new(reglages: &Reglages, indicateurs: &Indicateurs) -> Resultat<Option<Self>> {
        let Some(large) = &indicateurs.dispositifs else {
            return Ok(None);
        };
        let comptes = table_des_dispositifs::comptes(large)?;
        Ok(Some(SectionDispositifs {
            phrases: table_des_dispositifs::phrases(&comptes),
            tableau: table_des_dispositifs::tableau(
                &comptes,
                "Chiffres des dispositifs de l'emploi et de la politique de la ville",
                true,
            ),
            source: format!(
                "Source : chiffres des dispositifs ({}) ; « s » : secret statistique (effectifs de personnes de 1 à 4 et ceux qui les feraient retrouver).",
                noms_de_fichiers(&reglages.entrees.dispositifs)
            ),
        }))
    }
}

/// Structures and labels: one sentence per type, the counts, the list.
pub struct SectionStructures {
    pub phrases: Vec<String>,
    pub decompte: Tableau,
    pub liste: Tableau,
    pub source: String,
}

impl SectionStructures {
    fn new(reglages: &Reglages, indicateurs: &Indicateurs) -> Resultat<Option<Self>> {
        let Some(s) = &indicateurs.structures else {
            return Ok(None);
        };
        Ok(Some(SectionStructures {
            phrases: table_des_structures::phrases(s)?,
            decompte: table_des_structures::decompte(s)?,
            liste: table_des_structures::liste(s, None)?,
            source: format!(
                "Source : liste des structures et labels ({}) ; « commune ayant un QPV » : d'après le référentiel des QPV.",
                noms_de_fichiers(&reglages.entrees.structures)
            ),
        }))
    }
}

/// Funding: the deck's table, every dossier, sentences.
pub struct SectionFinancements {
    /// The deck's sentences by dispositif (the PDF).
    pub synthese: Tableau,
    /// The same figures as numbers, by status and localisation with their
    /// margins (the workbook).
    pub donnees: Tableau,
    /// Grants and loans, quantities, costs, envelopes, as numbers.
    pub complements: Option<Tableau>,
    /// The section's heading, from the registers' programmes.
    pub titre: String,
    /// The retained dossiers in or near a QPV, the QPV named.
    pub pres_des_qpv: Tableau,
    pub dossiers: Tableau,
    /// Sentences by programme (its heading, "" when none is given).
    pub messages: Vec<(String, Vec<String>)>,
    pub source: String,
}

/// "31 décembre 2020": the last day of the quarter, after which a
/// dossier's decision counts in a later one.
pub fn decides_apres_le(periode: crate::modele::Periode) -> String {
    crate::reglages::Date::fin_de_trimestre(periode).en_toutes_lettres()
}

impl SectionFinancements {
    /// The funding section, when a register was given.
    fn new(reglages: &Reglages, indicateurs: &Indicateurs) -> Resultat<Option<Self>> {
        let Some(dossiers) = indicateurs.dossiers.as_deref() else {
            return Ok(None);
        };
        let (dep, periode) = (
            reglages.conseil.departement.as_str(),
            reglages.conseil.periode,
        );
        let mut source = format!(
            "Source : registres de financement ({}).",
            noms_de_fichiers(&reglages.entrees.financements)
        );
        let fin = decides_apres_le(periode);
        match indicateurs.dossiers_decides_apres.len() {
            0 => {}
            1 => source.push_str(&format!(
                " 1 dossier décidé après le {fin} n'est pas compté : il le sera au trimestre de sa décision."
            )),
            n => source.push_str(&format!(
                " {n} dossiers décidés après le {fin} ne sont pas comptés : ils le seront au trimestre de leur décision."
            )),
        }
        Ok(Some(SectionFinancements {
            synthese: tableaux::financements(dossiers, reglages),
            donnees: table_des_financements::par_statut(indicateurs, dep, periode)?,
            complements: table_des_financements::complements(indicateurs, dep, periode)?,
            pres_des_qpv: tableaux::pres_des_qpv(dossiers),
            dossiers: tableaux::liste_dossiers(dossiers),
            titre: tableaux::titre_des_financements(dossiers),
            messages: tableaux::messages_par_programme(dossiers, &indicateurs.enveloppes),
            source,
        }))
    }
}

fn nom_fichier(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Contenu {
    pub fn new(reglages: &Reglages, indicateurs: &Indicateurs, index: &Index) -> Resultat<Contenu> {
        let communes = &indicateurs.territoires.communes_des_qpv;
        let source_de = format!(
            "Source : France Travail (ex-Pôle emploi), demandeurs d'emploi inscrits en fin de trimestre, catégories A, B, C, données brutes ({}).",
            noms_de_fichiers(&reglages.entrees.demandeurs)
        );
        let ruptures = notes_ruptures(reglages, indicateurs);
        let notes = notes(reglages, indicateurs, index, &source_de, &ruptures);
        let missions_locales = match &indicateurs.missions_locales {
            Some(ml) => Some(SectionMissionsLocales::new(reglages, ml, index)?),
            None => None,
        };
        let financements = SectionFinancements::new(reglages, indicateurs)?;
        Ok(Contenu {
            quartiers: SectionQuartiers::new(reglages, indicateurs, index),
            dispositifs: SectionDispositifs::new(reglages, indicateurs)?,
            structures: SectionStructures::new(reglages, indicateurs)?,
            calendrier: match &indicateurs.echeances {
                Some(e) => Some((
                    table_des_dispositifs::calendrier(e)?,
                    format!(
                        "Source : calendrier des appels à projets ({}) ; étapes à partir de la date du conseil.",
                        noms_de_fichiers(&reglages.entrees.echeances)
                    ),
                )),
                None => None,
            },
            missions_locales,
            financements,
            depuis_le_precedent: tableaux::depuis_le_precedent(index, indicateurs, reglages)?,
            synthese: tableaux::synthese(index, reglages),
            serie: tableaux::serie(indicateurs, reglages)?,
            profil: tableaux::profil(index, reglages),
            par_qpv: tableaux::par_qpv(index, communes),
            par_commune: tableaux::par_commune(index),
            par_interco: tableaux::par_intercommunalite(index),
            intercommunalites: intercommunalites::Intercommunalites::de(index),
            messages: tableaux::messages(index, indicateurs, communes, reglages),
            notes,
            version: None,
            pied: [source_de, SIGNES.to_string()]
                .into_iter()
                .chain(ruptures)
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

impl SectionMissionsLocales {
    fn new(
        reglages: &Reglages,
        ml: &MissionsLocalesCalculees,
        index: &Index,
    ) -> Resultat<SectionMissionsLocales> {
        Ok(SectionMissionsLocales {
            tableau: tableaux::missions_locales(index, ml, reglages),
            par_structure: tableaux::missions_locales_par_structure(ml)?,
            messages: tableaux::messages_ml(index, ml, reglages),
            source: format!(
                "Source : missions locales ({}) ; objectifs : {}.",
                noms_de_fichiers(&reglages.entrees.missions_locales),
                if reglages.entrees.objectifs.is_empty() {
                    "aucun fichier".to_string()
                } else {
                    noms_de_fichiers(&reglages.entrees.objectifs)
                }
            ),
        })
    }
}

/// The conventional signs, said under every table.
const SIGNES: &str = "Signes conventionnels : s = secret statistique ; nd = non disponible ; /// = sans objet ; – = ne s'applique pas.";

/// How much the secrecy masked of the département's counts of people:
/// "12 chiffres masqués sur 480, dont 5 au titre du secret primaire."
fn phrase_du_secret(
    bilans: &std::collections::BTreeMap<&'static str, crate::secret::Bilan>,
) -> Option<String> {
    let mut b = crate::secret::Bilan::default();
    for x in bilans.values() {
        b += *x;
    }
    if b.cases == 0 {
        return None;
    }
    let nombre = |x: usize| crate::format::effectif(x as f64);
    let masques = match b.masquees() {
        0 => {
            return Some(format!(
                "Secret statistique : aucun des {} effectifs de personnes n'est masqué.",
                nombre(b.cases)
            ))
        }
        1 => "1 chiffre masqué".to_string(),
        n => format!("{} chiffres masqués", nombre(n)),
    };
    Some(format!(
        "Secret statistique : {masques} sur {} effectifs de personnes, dont {} au titre du secret primaire.",
        nombre(b.cases),
        nombre(b.primaires)
    ))
}

/// "a.csv, b.csv".
fn noms_de_fichiers(liste: &[PathBuf]) -> String {
    liste
        .iter()
        .map(|p| nom_fichier(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Titled groups of notes: sources, definitions, signs, breaks of series,
/// comparisons with published figures, anomalies of the sources.
fn notes(
    reglages: &Reglages,
    indicateurs: &Indicateurs,
    index: &Index,
    source_de: &str,
    ruptures: &[String],
) -> Vec<(String, Vec<String>)> {
    let mut notes = vec![
        (
            "Sources".to_string(),
            vec![
                source_de.to_string(),
                format!(
                    "Référentiel des quartiers prioritaires : {}.",
                    noms_de_fichiers(&reglages.entrees.referentiel)
                ),
            ],
        ),
        ("Définitions".to_string(), definitions(index)),
        (
            "Signes conventionnels et arrondis".to_string(),
            vec![
                SIGNES.to_string(),
                "Les parts et évolutions sont calculées à partir des effectifs non arrondis, puis arrondies à une décimale (au plus proche, la moitié s'arrondissant en s'éloignant de zéro).".to_string(),
                "Un chiffre calculé à partir d'une donnée manquante ou secrète n'est pas publié.".to_string(),
            ],
        ),
    ];
    if let Some(phrase) = phrase_du_secret(&indicateurs.secret) {
        notes[2].1.push(phrase);
    }
    let epci = !index.codes(crate::modele::niveaux::EPCI).is_empty();
    if epci {
        notes[0].1.push(if indicateurs.territoires.composition_epci {
            "Intercommunalités : composition communale des EPCI de l'INSEE ; les totaux d'un EPCI comptent toutes ses communes.".to_string()
        } else {
            "Intercommunalités : EPCI des communes du référentiel des quartiers prioritaires ; sans la composition communale des EPCI de l'INSEE (EPCI_au_01-01-AAAA.xlsx), les totaux d'un EPCI (financements) ne comptent que ses communes ayant un quartier prioritaire.".to_string()
        });
    }
    if !ruptures.is_empty() {
        notes.push(("Ruptures de série".to_string(), ruptures.to_vec()));
    }
    let rapprochements = tableaux::rapprochements(index, reglages);
    if !rapprochements.is_empty() {
        notes.push((
            "Rapprochement avec les chiffres déjà publiés".to_string(),
            rapprochements,
        ));
    }
    let revisions: Vec<String> = indicateurs
        .revisions
        .iter()
        .filter(|r| !r.contre_l_historique)
        .map(|r| r.probleme.to_string())
        .collect();
    if !revisions.is_empty() {
        notes.push((
            "Révisions du producteur (exports qui se recouvrent : le plus récent est retenu)"
                .to_string(),
            revisions,
        ));
    }
    if !indicateurs.avertissements.is_empty() {
        notes.push((
            "Anomalies relevées dans les sources".to_string(),
            indicateurs
                .avertissements
                .iter()
                .map(|a| a.to_string())
                .collect(),
        ));
    }
    notes
}

/// Footnotes on the breaks of series (`modele::ruptures`) that the figures
/// shown span: the annual and quarterly evolutions, and the quarter-by-quarter
/// series from its first quarter.
pub fn notes_ruptures(reglages: &Reglages, indicateurs: &Indicateurs) -> Vec<String> {
    let t = reglages.conseil.periode;
    let debut_serie = indicateurs
        .serie_departement
        .column(crate::modele::colonnes::PERIODE)
        .ok()
        .and_then(|c| c.i32().ok().and_then(|c| c.iter().flatten().min()))
        .map(Periode::depuis_index);
    let debut = match debut_serie {
        Some(d) if d.index() < t.decale(-4).index() => d,
        _ => t.decale(-4),
    };
    ruptures::enjambees(debut, t)
        .into_iter()
        .map(|r| {
            format!(
                "Rupture de série au {} ({}) : {}",
                r.premiere.libelle_long(),
                r.titre,
                r.note
            )
        })
        .collect()
}

/// "Évolution annuelle", marked when it spans a break of series (the note
/// says which).
pub fn evolution_annuelle(reglages: &Reglages, libelle: &str) -> String {
    let t = reglages.conseil.periode;
    if ruptures::enjambees(t.decale(-4), t).is_empty() {
        libelle.to_string()
    } else {
        format!("{libelle} (rupture de série, voir note)")
    }
}

fn definitions(index: &Index) -> Vec<String> {
    let inter = intercommunalites::Intercommunalites::de(index);
    let territoire = if inter.aucune() {
        "d'une commune".to_string()
    } else {
        format!("d'une commune ou {}", inter.d_un())
    };
    let en_qpv = format!("En QPV : demandeurs d'emploi résidant dans un quartier prioritaire de la politique de la ville. Les chiffres {territoire} « en QPV » sont la somme de ses quartiers (ou de leur partie située dans la commune) ; un quartier à cheval sur plusieurs communes sans chiffres par commune rend ces chiffres non disponibles.");
    [
        "Demandeurs d'emploi ABC : personnes inscrites à France Travail en fin de trimestre, tenues de rechercher un emploi, sans emploi (catégorie A) ou ayant exercé une activité réduite (catégories B et C).",
        &en_qpv,
        "Évolution annuelle : (effectif du trimestre − effectif du même trimestre un an plus tôt) / effectif un an plus tôt. Évolution trimestrielle : même calcul par rapport au trimestre précédent.",
        "Part des publics QPV : pour la demande d'emploi en QPV, part des demandeurs d'emploi du territoire qui résident en QPV ; pour un public (jeunes, seniors, longue durée, infra-bac, sans diplôme), part de ce public parmi les demandeurs d'emploi en QPV. Pour un QPV, part de la demande d'emploi en QPV du département qu'il représente.",
        "Jeunes : moins de 26 ans. Seniors : 50 ans et plus. Longue durée : inscrits depuis un an ou plus. Infra-bac : niveau de formation inférieur au baccalauréat (CAP, BEP ou moins).",
        "Concentration : part de la demande d'emploi en QPV du département détenue par les trois QPV qui comptent le plus de demandeurs d'emploi.",
    ]
    .map(String::from)
    .to_vec()
}

/// Writes the documents of one département into `dossier` (its workbook,
/// its PDF, its communes'), each marked with its version in `versions`;
/// returns their paths. `indicateurs.csv`, common
/// to every département of the run, is [`csv::ecrire`]'s.
pub fn ecrire_departement(
    reglages: &Reglages,
    indicateurs: &Indicateurs,
    sorties: &Fichiers,
    versions: &Versions,
) -> Resultat<Vec<PathBuf>> {
    // Built once, drawn by every document.
    let index = Index::new(indicateurs, &reglages.conseil.periode.to_string())?;
    let mut contenu = Contenu::new(reglages, indicateurs, &index)?;
    let departement = &reglages.conseil.departement;
    let xlsx = sorties.annexe(departement, Format::Classeur);
    contenu.version = versions.de(&relatif(&xlsx, sorties.dossier()));
    xlsx::ecrire(&contenu, reglages, &xlsx)?;
    let pdf = sorties.annexe(departement, Format::Pdf);
    contenu.version = versions.de(&relatif(&pdf, sorties.dossier()));
    pdf::ecrire(&contenu, reglages, &pdf)?;
    let mut fichiers = vec![xlsx, pdf];
    fichiers.extend(communes::ecrire(
        reglages,
        indicateurs,
        &index,
        (sorties, versions),
    )?);
    Ok(fichiers)
}
