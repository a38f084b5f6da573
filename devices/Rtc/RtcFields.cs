namespace Minix318Emu.Devices.Rtc;

/// <summary>The RTC's time registers as plain numbers, which may hold an invalid date while the clock is stopped.</summary>
public readonly record struct RtcFields(int Year, int Month, int Day, int Hour, int Minute, int Second, int Weekday)
{
    /// <summary>The fields of a date-time (weekday 1 = Sunday).</summary>
    public static RtcFields From(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, t.Second, (int)t.DayOfWeek + 1);

    /// <summary>A valid date-time from the fields; out-of-range values are clamped (the chip would count on from them).</summary>
    public DateTime ToDateTime()
    {
        int year = Math.Clamp(Year, 1, 9999);
        int month = Math.Clamp(Month, 1, 12);
        int day = Math.Clamp(Day, 1, DateTime.DaysInMonth(year, month));
        return new DateTime(year, month, day, Math.Clamp(Hour, 0, 23), Math.Clamp(Minute, 0, 59), Math.Clamp(Second, 0, 59), DateTimeKind.Utc);
    }
}
