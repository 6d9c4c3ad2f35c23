//! Every path under the reports folder, decided here and nowhere else: the
//! report of a period (`reports/2020T4/`, `reports/2020T4-interne/`), its
//! staging folder, the annex of each département, the commune documents,
//! `indicateurs.csv`, `manifest.json`, the outbox and the send log. The
//! renderers, the manifest, the publication and the sending ask it.

use std::path::{Path, PathBuf};

use crate::lecture::entetes::normaliser;
use crate::modele::Periode;
use crate::reglages::Reglages;

/// The two kinds of document written for an annex and for each commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Classeur,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Classeur => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// Folder of the commune documents inside a report.
const DOSSIER_COMMUNES: &str = "communes";
/// Folder of the replaced reports, beside the reports.
const DOSSIER_ARCHIVES: &str = "archives";
/// Folder of the send logs, beside the reports.
const DOSSIER_ENVOIS: &str = "envois";
/// Folder of the messages written for review inside a report.
const BOITE_D_ENVOI: &str = "outbox";

/// Where the reports of one period go.
#[derive(Debug, Clone)]
pub struct Chemins {
    racine: PathBuf,
    periode: Periode,
    interne: bool,
}

impl Chemins {
    /// The reports of the run's period under `reglages.dossier_rapports`.
    pub fn new(reglages: &Reglages) -> Chemins {
        Chemins {
            racine: reglages.dossier_rapports.clone(),
            periode: reglages.conseil.periode,
            interne: reglages.interne,
        }
    }

    /// `historique/demandeurs.csv`: the job-seeker figures of every quarter
    /// read (`rapport::historique`), shared by all quarters.
    pub fn historique(&self) -> PathBuf {
        self.racine.join("historique").join("demandeurs.csv")
    }

    /// The published (not internal) reports of the quarters whose
    /// evolutions this period's report publishes: the quarter before, the
    /// same quarter a year before; their `indicateurs.csv`, with their
    /// quarter.
    pub fn precedents(&self) -> Vec<(Periode, PathBuf)> {
        [1, 4]
            .map(|recul| {
                let avant = Chemins {
                    racine: self.racine.clone(),
                    periode: self.periode.decale(-recul),
                    interne: false,
                };
                let dossier = avant.rapport();
                (avant.periode, avant.dans(&dossier).indicateurs())
            })
            .into_iter()
            .collect()
    }

    /// The latest quarter with a published report under `racine` (its
    /// folder `2020T4/`, or `2020T4-interne/` for internal reports), if
    /// any: what `send` and `audit` take without `--periode`.
    pub fn derniere_publication(racine: &Path, interne: bool) -> Option<Periode> {
        let entrees = std::fs::read_dir(racine).ok()?;
        entrees
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| {
                let nom = e.file_name().to_string_lossy().into_owned();
                let periode = Periode::lire(nom.strip_suffix("-interne").unwrap_or(&nom))?;
                // An internal report never stands for the published one.
                (Chemins {
                    racine: racine.to_path_buf(),
                    periode,
                    interne,
                }
                .nom_rapport()
                    == nom)
                    .then_some(periode)
            })
            .max()
    }

    /// The reports folder itself.
    pub fn racine(&self) -> &Path {
        &self.racine
    }

    /// `-interne` for an internal report, in every file name.
    fn suffixe(&self) -> &'static str {
        if self.interne {
            "-interne"
        } else {
            ""
        }
    }

    /// The report's folder name: `2020T4`, `2020T4-interne`.
    pub fn nom_rapport(&self) -> String {
        format!("{}{}", self.periode, self.suffixe())
    }

    /// The published report: `reports/2020T4/`.
    pub fn rapport(&self) -> PathBuf {
        self.racine.join(self.nom_rapport())
    }

    /// Start of the name of the staging folders of this report
    /// (`.2020T4.en-cours-`), followed by the process id.
    pub fn prefixe_chantier(&self) -> String {
        format!(".{}.en-cours-", self.nom_rapport())
    }

    /// The send log of this period's report: `reports/envois/2020T4.json`,
    /// outside the report's folder, so that it survives `--force` (a
    /// replaced report is not a reason to mail its communes again).
    pub fn journal_envoi(&self) -> PathBuf {
        self.racine
            .join(DOSSIER_ENVOIS)
            .join(format!("{}.json", self.nom_rapport()))
    }

    /// Where the published report goes when a rectified version replaces
    /// it: `reports/archives/2020T4-1/` for the first version, then `-2`…
    /// (the first number not taken).
    pub fn archive(&self) -> PathBuf {
        let dossier = self.racine.join(DOSSIER_ARCHIVES);
        (1..)
            .map(|n| dossier.join(format!("{}-{n}", self.nom_rapport())))
            .find(|a| !a.exists())
            .unwrap_or(dossier)
    }

    /// The staging folder of this process.
    pub fn chantier(&self) -> PathBuf {
        self.racine
            .join(format!("{}{}", self.prefixe_chantier(), std::process::id()))
    }

    /// The files of the report whose folder is `dossier` (its staging
    /// folder while it is written, [`Chemins::rapport`] once published).
    pub fn dans<'a>(&'a self, dossier: &'a Path) -> Fichiers<'a> {
        Fichiers {
            chemins: self,
            dossier,
        }
    }
}

/// The files of one report, in its folder.
#[derive(Debug, Clone, Copy)]
pub struct Fichiers<'a> {
    chemins: &'a Chemins,
    dossier: &'a Path,
}

impl Fichiers<'_> {
    /// The report's folder.
    pub fn dossier(&self) -> &Path {
        self.dossier
    }

    /// `annexe-92-2020T4.xlsx`, `annexe-92-2020T4-interne.pdf`.
    pub fn annexe(&self, departement: &str, format: Format) -> PathBuf {
        self.dossier.join(format!(
            "annexe-{departement}-{}{}.{}",
            self.chemins.periode,
            self.chemins.suffixe(),
            format.extension()
        ))
    }

    /// `communes/`.
    pub fn communes(&self) -> PathBuf {
        self.dossier.join(DOSSIER_COMMUNES)
    }

    /// `communes/92019-chatenay-malabry.xlsx`.
    pub fn commune(&self, code: &str, nom: &str, format: Format) -> PathBuf {
        self.communes().join(format!(
            "{}{}.{}",
            nom_de_commune(code, nom),
            self.chemins.suffixe(),
            format.extension()
        ))
    }

    /// `subventions-92-2020T4.csv`: the open-data file of the funding
    /// granted (SCDL "subventions").
    pub fn subventions(&self, departement: &str) -> PathBuf {
        self.dossier.join(format!(
            "subventions-{departement}-{}{}.csv",
            self.chemins.periode,
            self.chemins.suffixe()
        ))
    }

    /// `indicateurs.csv`.
    pub fn indicateurs(&self) -> PathBuf {
        self.dossier
            .join(format!("indicateurs{}.csv", self.chemins.suffixe()))
    }

    /// `manifest.json`.
    pub fn manifeste(&self) -> PathBuf {
        self.dossier
            .join(format!("manifest{}.json", self.chemins.suffixe()))
    }

    /// `outbox/`: the messages written for review.
    pub fn boite_d_envoi(&self) -> PathBuf {
        self.dossier.join(BOITE_D_ENVOI)
    }

    /// `outbox/92019-chatenay-malabry.eml`.
    pub fn courriel(&self, code: &str, nom: &str) -> PathBuf {
        self.boite_d_envoi()
            .join(format!("{}.eml", nom_de_commune(code, nom)))
    }

    /// `envoi.json` inside the report, where versions before 0.2 kept the
    /// send log (read once, when [`Chemins::journal_envoi`] is absent).
    pub fn ancien_journal_envoi(&self) -> PathBuf {
        self.dossier.join("envoi.json")
    }
}

/// `92019-chatenay-malabry`: ASCII, safe in any file system.
fn nom_de_commune(code: &str, nom: &str) -> String {
    let slug = normaliser(nom).replace('_', "-");
    if slug.is_empty() {
        code.to_string()
    } else {
        format!("{code}-{slug}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chemins(interne: bool) -> Chemins {
        Chemins {
            racine: PathBuf::from("reports"),
            periode: Periode::lire("2020T4").unwrap(),
            interne,
        }
    }

    #[test]
    fn chaque_fichier_du_rapport_a_son_chemin() {
        let c = chemins(false);
        let rapport = c.rapport();
        assert_eq!(rapport, Path::new("reports/2020T4"));
        let f = c.dans(&rapport);
        assert_eq!(
            f.annexe("92", Format::Classeur),
            Path::new("reports/2020T4/annexe-92-2020T4.xlsx")
        );
        assert_eq!(
            f.commune("92019", "Châtenay-Malabry", Format::Pdf),
            Path::new("reports/2020T4/communes/92019-chatenay-malabry.pdf")
        );
        assert_eq!(
            f.courriel("92019", "Châtenay-Malabry"),
            Path::new("reports/2020T4/outbox/92019-chatenay-malabry.eml")
        );
        assert_eq!(f.indicateurs(), Path::new("reports/2020T4/indicateurs.csv"));
        assert_eq!(
            f.subventions("92"),
            Path::new("reports/2020T4/subventions-92-2020T4.csv")
        );
        assert_eq!(f.manifeste(), Path::new("reports/2020T4/manifest.json"));
        assert_eq!(
            f.ancien_journal_envoi(),
            Path::new("reports/2020T4/envoi.json")
        );
        assert_eq!(c.journal_envoi(), Path::new("reports/envois/2020T4.json"));
        // A commune whose name gives no ASCII letter keeps its code alone.
        assert_eq!(
            f.commune("92019", "—", Format::Classeur),
            Path::new("reports/2020T4/communes/92019.xlsx")
        );
    }

    #[test]
    fn un_rapport_interne_le_dit_dans_chaque_nom() {
        let c = chemins(true);
        assert_eq!(c.nom_rapport(), "2020T4-interne");
        assert_eq!(c.prefixe_chantier(), ".2020T4-interne.en-cours-");
        let rapport = c.rapport();
        let f = c.dans(&rapport);
        assert_eq!(
            f.annexe("92", Format::Pdf),
            Path::new("reports/2020T4-interne/annexe-92-2020T4-interne.pdf")
        );
        assert_eq!(
            f.commune("92007", "Bagneux", Format::Classeur),
            Path::new("reports/2020T4-interne/communes/92007-bagneux-interne.xlsx")
        );
        assert_eq!(
            f.indicateurs(),
            Path::new("reports/2020T4-interne/indicateurs-interne.csv")
        );
    }
}
