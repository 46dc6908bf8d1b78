import Testing
@testable import FlowrunExpressions

@Suite("Luxon DateTime")
struct LuxonDateTimeTests {
    let newYork = LuxonZone.named("America/New_York")
    let berlin = LuxonZone.named("Europe/Berlin")

    func iso(_ text: String, zone: LuxonZone, setZone: Bool = false) -> LuxonDateTime {
        LuxonDateTime.fromISO(text, options: .init(zone: zone, setZone: setZone, nowMillis: 1_705_322_096_789))
    }

    @Test("UTC and GMT are the fixed zero-offset zone printing Z")
    func utcZone() {
        let dt = LuxonDateTime.fromMillis(1_787_567_400_000, zone: LuxonZone.named("UTC"))
        #expect(dt.toISO() == "2026-08-24T10:30:00.000Z")
        #expect(LuxonZone.named("Europe/London") != .utc)
    }

    @Test("fromISO reads dates, times, offsets and interprets local forms in the zone")
    func fromISO() {
        #expect(iso("2019-06-23T00:00:00.00", zone: newYork).toISO() == "2019-06-23T00:00:00.000-04:00")
        #expect(iso("2024-03-30T18:49:00.000Z", zone: newYork).toISO() == "2024-03-30T14:49:00.000-04:00")
        #expect(iso("2024-03-30T18:49:00.000Z", zone: newYork, setZone: true).toISO() == "2024-03-30T18:49:00.000Z")
        #expect(iso("2024-W13-6", zone: .utc).toISODate() == "2024-03-30")
        #expect(iso("2024-090", zone: .utc).toISODate() == "2024-03-30")
        #expect(iso("2024-02-30", zone: .utc).isValid == false)
        #expect(iso("hello", zone: .utc).invalidReason == "unparsable")
    }

    @Test("Adding a day across the spring-forward gap keeps the wall clock")
    func springForward() {
        let before = iso("2024-03-09T12:00:00", zone: newYork)
        let after = before.plus(LuxonDuration([.days: 1]))
        #expect(after.toISO() == "2024-03-10T12:00:00.000-04:00")
        #expect(after.ts - before.ts == 23 * 3_600_000)
        let hours = before.plus(LuxonDuration([.hours: 24]))
        #expect(hours.toISO() == "2024-03-10T13:00:00.000-04:00")
        #expect(iso("2024-03-10T02:30:00", zone: newYork).toISO() == "2024-03-10T03:30:00.000-04:00")
    }

    @Test("Fall-back day is 25 hours long and startOf/endOf follow the zone")
    func fallBack() {
        let noon = iso("2024-11-03T12:00:00", zone: newYork)
        #expect(noon.startOf(.days).toISO() == "2024-11-03T00:00:00.000-04:00")
        #expect(noon.endOf(.days).toISO() == "2024-11-03T23:59:59.999-05:00")
        #expect(noon.endOf(.days).ts - noon.startOf(.days).ts == 25 * 3_600_000 - 1)
        #expect(noon.isInDST == false)
        #expect(iso("2024-06-30T18:49:00Z", zone: newYork).isInDST)
    }

    @Test("Berlin switches on the last Sunday of March")
    func berlinDST() {
        let dt = iso("2024-03-31T01:59:59", zone: berlin).plus(LuxonDuration([.seconds: 1]))
        #expect(dt.toISO() == "2024-03-31T03:00:00.000+02:00")
        #expect(dt.offsetNameShort == "GMT+2" || dt.offsetNameShort == "CEST")
    }

    @Test("Month math clamps the day like Luxon")
    func monthClamp() {
        #expect(iso("2024-01-31", zone: .utc).plus(LuxonDuration([.months: 1])).toISODate() == "2024-02-29")
        #expect(iso("2024-03-31", zone: .utc).minus(LuxonDuration([.months: 1])).toISODate() == "2024-02-29")
        #expect(iso("2024-02-29", zone: .utc).plus(LuxonDuration([.years: 1])).toISODate() == "2025-02-28")
    }

    @Test("diff uses calendar months then fractions")
    func diff() {
        let a = iso("2019-06-23", zone: newYork)
        let b = iso("2019-05-23", zone: newYork)
        #expect(a.diff(b, [.months]).orderedValues.map(\.1) == [1])
        let from = iso("2025-01-01", zone: newYork)
        let to = iso("2024-03-30T18:49:07.234", zone: newYork)
        let days = from.diff(to, [.days]).get(.days)
        #expect(days > 276 && days < 277)
        let mixed = from.diff(to, [.months, .days])
        #expect(mixed.get(.months) == 9)
        #expect(abs(mixed.get(.days) - 1.2159) < 0.001)
        #expect(iso("2024-01-15T12:00:00Z", zone: .utc).diff(iso("2024-01-15T10:00:00Z", zone: .utc), [.hours]).get(.hours) == 2)
    }

    @Test("toFormat renders the Luxon token table")
    func format() {
        let dt = iso("2024-04-30T18:49:07.234", zone: newYork)
        #expect(dt.toFormat("dd/MM/yyyy HH:mm:ss") == "30/04/2024 18:49:07")
        #expect(dt.toFormat("HH 'hours and' mm 'minutes'") == "18 hours and 49 minutes")
        #expect(dt.toFormat("EEE, MMM d, yy h:mm a ZZ z") == "Tue, Apr 30, 24 6:49 PM -04:00 America/New_York")
        #expect(dt.toFormat("EEEE MMMM kkkk-'W'WW-c o q SSS") == "Tuesday April 2024-W18-2 121 2 234")
        #expect(dt.setLocale("fr").toFormat("dd LLL yyyy") == "30 avr. 2024")
        #expect(dt.toLocaleString(LuxonDateTime.presets["DATE_MED"]!) == "Apr 30, 2024")
        #expect(dt.toLocaleString() == "4/30/2024")
    }

    @Test("fromFormat parses tokens in the zone")
    func fromFormat() {
        let opts = LuxonDateTime.ParseOptions(zone: newYork)
        #expect(LuxonDateTime.fromFormat("23-06-2019", format: "dd-MM-yyyy", options: opts).toISO() == "2019-06-23T00:00:00.000-04:00")
        #expect(LuxonDateTime.fromFormat("2026-08-24 10:30:00", format: "yyyy-MM-dd HH:mm:ss", options: opts).setZone(.utc).toISO() == "2026-08-24T14:30:00.000Z")
        #expect(LuxonDateTime.fromFormat("Jun 25 1982 3:04 PM", format: "MMMM dd yyyy h:mm a", options: opts).isValid == false)
        #expect(LuxonDateTime.fromFormat("May 25 1982 3:04 PM", format: "MMM dd yyyy h:mm a", options: opts).toFormat("HH:mm") == "15:04")
    }

    @Test("Other parsers: SQL, RFC 2822, HTTP, JS Date.parse")
    func otherParsers() {
        let opts = LuxonDateTime.ParseOptions(zone: newYork, setZone: true)
        #expect(LuxonDateTime.fromSQL("2017-05-15 09:24:15", options: opts).toISO() == "2017-05-15T09:24:15.000-04:00")
        #expect(LuxonDateTime.fromRFC2822("Tue, 01 Nov 2016 13:23:12 +0630", options: opts).toISO() == "2016-11-01T13:23:12.000+06:30")
        #expect(LuxonDateTime.fromHTTP("Wed, 21 Oct 2015 07:28:00 GMT", options: opts).toISO() == "2015-10-21T07:28:00.000Z")
        #expect(JSDateParser.parse("2024-01-01", localZone: newYork) == 1_704_067_200_000)
        #expect(JSDateParser.parse("2024-01-01T00:00", localZone: newYork) == 1_704_085_200_000)
        #expect(JSDateParser.parse("1-Feb-2024", localZone: newYork) == 1_706_763_600_000)
        #expect(JSDateParser.parse("nope", localZone: newYork) == nil)
    }

    @Test("Durations shift, convert and print")
    func durations() {
        #expect(LuxonDuration([.hours: 60]).as(.days) == 2.5)
        #expect(LuxonDuration([.years: 1]).as(.days) == 365)
        #expect(LuxonDuration([.years: 3, .seconds: 45]).toISO() == "P3YT45S")
        #expect(LuxonDuration.fromISO("P3Y6M1W4DT12H30M5S").get(.weeks) == 1)
        #expect(LuxonDuration([.months: 1, .weeks: 0, .hours: 5, .minutes: 6]).toHuman() == "1 month, 0 weeks, 5 hours, 6 minutes")
        #expect(LuxonDuration.fromMillis(90_061_000).shiftTo([.days, .hours, .minutes, .seconds]).orderedValues.map(\.1) == [1, 1, 1, 1])
    }

    @Test("Calendar diffs across DST count wall-clock days; hour diffs count real hours")
    func diffAcrossDST() {
        let before = iso("2024-03-09T12:00:00", zone: newYork)
        let after = iso("2024-03-11T12:00:00", zone: newYork)
        #expect(after.diff(before, [.days]).get(.days) == 2)
        #expect(after.diff(before, [.hours]).get(.hours) == 47)
        let fallBefore = iso("2024-11-02T12:00:00", zone: newYork)
        let fallAfter = iso("2024-11-03T12:00:00", zone: newYork)
        #expect(fallAfter.diff(fallBefore, [.days]).get(.days) == 1)
        #expect(fallAfter.diff(fallBefore, [.hours]).get(.hours) == 25)
    }

    @Test("startOf week and setZone keepLocalTime around transitions")
    func weekAndKeepLocalTime() {
        let sunday = iso("2024-03-10T15:00:00", zone: newYork)
        #expect(sunday.startOf(.weeks).toISO() == "2024-03-04T00:00:00.000-05:00")
        #expect(sunday.endOf(.weeks).toISO() == "2024-03-10T23:59:59.999-04:00")
        let berlinLocal = sunday.setZone(berlin, keepLocalTime: true)
        #expect(berlinLocal.toISO() == "2024-03-10T15:00:00.000+01:00")
        let autumn = iso("2024-10-27T01:30:00", zone: berlin).plus(LuxonDuration([.hours: 1]))
        #expect(autumn.toISO() == "2024-10-27T02:30:00.000+02:00")
        #expect(autumn.plus(LuxonDuration([.hours: 1])).toISO() == "2024-10-27T02:30:00.000+01:00")
    }

    @Test("Local constructors put gap times after the gap and use the zone's rules")
    func localConstructors() {
        let gap = LuxonDateTime.fromObject(["year": 2024, "month": 3, "day": 10, "hour": 2, "minute": 30], zone: newYork, nowMillis: 1_705_322_096_789)
        #expect(gap.toISO() == "2024-03-10T03:30:00.000-04:00")
        #expect(JSDateFormatting.makeLocal(year: 2024, monthIndex: 2, day: 10, hour: 2, minute: 30, zone: newYork) == gap.ts)
        #expect(JSDateFormatting.toString(gap.ts, zone: newYork) == "Sun Mar 10 2024 03:30:00 GMT-0400 (Eastern Daylight Time)")
        #expect(LuxonDateTime.fromObject(["year": 2024, "month": 2, "day": 30], zone: newYork, nowMillis: 0).invalidReason == "unit out of range")
    }
}
