//! French number formats for everything a person reads: `127 479`,
//! `11,0 %`, `+9,3 %`, `2,8 M€`. Figures are stored unrounded and rounded
//! here only, half away from zero.

/// U+202F, the narrow no-break space of French typography between groups of
/// digits.
pub const ESPACE_FINE: char = '\u{202F}';
/// U+00A0, before `%` and `€`.
pub const ESPACE_INSECABLE: char = '\u{A0}';

/// `x` rounded to `decimales` places, half away from zero, in decimal: the
/// binary error of `0.1095 * 1000` (109.49999…) must not turn 11,0 % into
/// 10,9 %, so the scaled value is first snapped to 9 decimal places.
pub fn arrondir(x: f64, decimales: i32) -> f64 {
    let echelle = 10f64.powi(decimales);
    let mis_a_l_echelle = ((x * echelle) * 1e9).round() / 1e9;
    mis_a_l_echelle.round() / echelle
}

/// A date in letters: "27 avril 2021", "1er juin 2021"; without a day, the
/// month alone: "octobre 2021". `mois` from 1 to 12.
pub fn date_en_lettres(annee: i32, mois: u32, jour: Option<u32>) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let nom = MOIS
        .get((mois as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("");
    // No-break spaces: a date never breaks across lines (« 10 février
    // 2026 » in a title), as the Imprimerie nationale's rules have it.
    let e = ESPACE_INSECABLE;
    match jour {
        Some(1) => format!("1er{e}{nom}{e}{annee}"),
        Some(j) => format!("{j}{e}{nom}{e}{annee}"),
        None => format!("{nom}{e}{annee}"),
    }
}

/// Integer part with narrow no-break spaces between groups of three digits.
fn grouper(entier: u64) -> String {
    let chiffres = entier.to_string();
    let mut sortie = String::with_capacity(chiffres.len() + chiffres.len() / 3 * 3);
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            sortie.push(ESPACE_FINE);
        }
        sortie.push(c);
    }
    sortie
}

/// `x` with `decimales` decimals, French style: `127 479`, `2,8`, `-3,0`.
pub fn nombre(x: f64, decimales: usize) -> String {
    let arrondi = arrondir(x, decimales as i32);
    let signe = if arrondi < 0.0 { "-" } else { "" };
    let absolu = arrondi.abs();
    let texte = format!("{absolu:.decimales$}");
    let (entier, fraction) = texte.split_once('.').unwrap_or((&texte, ""));
    let entier = grouper(entier.parse().unwrap_or(0));
    if fraction.is_empty() {
        format!("{signe}{entier}")
    } else {
        format!("{signe}{entier},{fraction}")
    }
}

/// A duration for the log: `0,42 s`.
pub fn duree(d: std::time::Duration) -> String {
    format!("{}{ESPACE_INSECABLE}s", nombre(d.as_secs_f64(), 2))
}

/// A count: `127 479`.
pub fn effectif(x: f64) -> String {
    nombre(x, 0)
}

/// A share given as a fraction: 0.1099 → `11,0 %`.
pub fn pourcentage(x: f64) -> String {
    format!("{}{ESPACE_INSECABLE}%", nombre(x * 100.0, 1))
}

/// An evolution given as a fraction, always signed: 0.093 → `+9,3 %`.
pub fn evolution(x: f64) -> String {
    let texte = pourcentage(x);
    if texte.starts_with('-') || arrondir(x * 100.0, 1) == 0.0 {
        texte.replacen("-0,0", "0,0", 1)
    } else {
        format!("+{texte}")
    }
}

/// An amount in euros: `2 800 000 €`.
pub fn montant(x: f64) -> String {
    format!("{}{ESPACE_INSECABLE}€", nombre(x, 0))
}

/// The short form of the deck: `2,8 M€`, `600 k€`.
pub fn montant_court(x: f64) -> String {
    if x.abs() >= 1e6 {
        format!("{}{ESPACE_INSECABLE}M€", nombre(x / 1e6, 1))
    } else if x.abs() >= 1e3 {
        format!("{}{ESPACE_INSECABLE}k€", nombre(x / 1e3, 0))
    } else {
        montant(x)
    }
}

/// The masculine plural of an adjective of inhabitants: "alto-séquanais"
/// stays, "parisien" takes an s, "girondin" too; "-al" becomes "-aux".
pub fn pluriel(adjectif: &str) -> String {
    let a = adjectif.trim();
    if a.ends_with('s') || a.ends_with('x') || a.ends_with('z') {
        a.to_string()
    } else if let Some(racine) = a.strip_suffix("al") {
        format!("{racine}aux")
    } else {
        format!("{a}s")
    }
}

/// Spaces of every kind made plain, for comparing texts in tests and logs.
pub fn espaces_simples(texte: &str) -> String {
    texte.replace([ESPACE_FINE, ESPACE_INSECABLE], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_en_lettres() {
        assert_eq!(
            date_en_lettres(2021, 4, Some(27)),
            "27\u{a0}avril\u{a0}2021"
        );
        assert_eq!(
            espaces_simples(&date_en_lettres(2021, 6, Some(1))),
            "1er juin 2021"
        );
        assert_eq!(
            espaces_simples(&date_en_lettres(2021, 10, None)),
            "octobre 2021"
        );
    }

    #[test]
    fn arrondi_demi_eloigne_de_zero() {
        assert_eq!(pourcentage(0.1095), "11,0\u{a0}%");
        assert_eq!(pourcentage(0.10949), "10,9\u{a0}%");
        assert_eq!(evolution(-0.0125), "-1,3\u{a0}%");
        assert_eq!(evolution(0.0125), "+1,3\u{a0}%");
        assert_eq!(arrondir(2.5, 0), 3.0);
        assert_eq!(arrondir(-2.5, 0), -3.0);
    }

    #[test]
    fn pluriels_des_gentiles() {
        assert_eq!(pluriel("alto-séquanais"), "alto-séquanais");
        assert_eq!(pluriel("parisien"), "parisiens");
        assert_eq!(pluriel("val-de-marnais"), "val-de-marnais");
        assert_eq!(pluriel("départemental"), "départementaux");
    }

    #[test]
    fn formats_francais() {
        assert_eq!(espaces_simples(&effectif(127479.0)), "127 479");
        assert_eq!(effectif(127479.0), "127\u{202f}479");
        assert_eq!(effectif(999.0), "999");
        assert_eq!(espaces_simples(&effectif(1_000_000.0)), "1 000 000");
        assert_eq!(espaces_simples(&pourcentage(0.53)), "53,0 %");
        assert_eq!(espaces_simples(&evolution(0.09302)), "+9,3 %");
        assert_eq!(espaces_simples(&evolution(-0.00001)), "0,0 %");
        assert_eq!(espaces_simples(&evolution(0.0)), "0,0 %");
        assert_eq!(espaces_simples(&montant(2_800_000.0)), "2 800 000 €");
        assert_eq!(espaces_simples(&montant_court(2_800_000.0)), "2,8 M€");
        assert_eq!(espaces_simples(&montant_court(600_000.0)), "600 k€");
    }
}
