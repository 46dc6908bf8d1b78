/// Month, weekday and meridiem names for the locales flowrun knows (English by default; French,
/// German and Spanish for `setLocale`). Unknown locales fall back to English.
package enum LuxonLocale {
    package enum Width: Sendable { case long, short, narrow }

    static func language(_ tag: String) -> String {
        String(tag.lowercased().prefix { $0 != "-" && $0 != "_" })
    }

    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December"]
    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    static let localizedMonths: [String: (long: [String], short: [String])] = [
        "fr": (["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
               ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]),
        "de": (["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
               ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez."]),
        "es": (["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
               ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"]),
    ]
    static let localizedWeekdays: [String: (long: [String], short: [String])] = [
        "fr": (["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
               ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]),
        "de": (["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
               ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]),
        "es": (["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
               ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]),
    ]

    /// Month names, January first.
    package static func months(_ locale: String, _ width: Width) -> [String] {
        if let names = localizedMonths[language(locale)] {
            switch width {
            case .long: return names.long
            case .short: return names.short
            case .narrow: return names.long.map { String($0.prefix(1)).uppercased() }
            }
        }
        switch width {
        case .long: return englishMonths
        case .short: return englishMonths.map { String($0.prefix(3)) }
        case .narrow: return englishMonths.map { String($0.prefix(1)) }
        }
    }

    /// Weekday names, Monday first.
    package static func weekdays(_ locale: String, _ width: Width) -> [String] {
        if let names = localizedWeekdays[language(locale)] {
            switch width {
            case .long: return names.long
            case .short: return names.short
            case .narrow: return names.long.map { String($0.prefix(1)).uppercased() }
            }
        }
        switch width {
        case .long: return englishWeekdays
        case .short: return englishWeekdays.map { String($0.prefix(3)) }
        case .narrow: return englishWeekdays.map { String($0.prefix(1)) }
        }
    }

    static func meridiems(_ locale: String) -> [String] { ["AM", "PM"] }

    static func eras(_ width: Width) -> [String] {
        switch width {
        case .long: return ["Before Christ", "Anno Domini"]
        case .short: return ["BC", "AD"]
        case .narrow: return ["B", "A"]
        }
    }
}
