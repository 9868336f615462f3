/** Business-calendar math: working hours, holidays, windows in business minutes or working days. Other folders import from here only. */
export { workingDaysWindowEnd } from './calendar-days';
export { zoneOf } from './zones';
export { calendarSchema, dateOrInstantSchema, isoDateSchema, timeZoneSchema, WEEKDAYS, type WorkingHours, workingHoursSchema } from './calendar-schema';
export { addBusinessMinutes, type BusinessCalendar, businessMinutesBetween, isWorkingTime, longestWorkingDayMinutes, nextWorkingInstant, weeklyWorkingMinutes } from './calendar';
