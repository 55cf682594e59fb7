/* The fixed categories of the study section's courses (党教园地): the buttons a member picks
 * on the TV and the choices of the dashboard's course form. A study course (kind 课程 or
 * 致富信息) must name one of them; videos (今日南湖) keep free categories. */
#ifndef DJTV_API_COURSE_CATEGORY_H
#define DJTV_API_COURSE_CATEGORY_H

enum { COURSE_CATEGORY_COUNT = 6 };

/* In the order the TV shows them. */
extern const char *const course_categories[COURSE_CATEGORY_COUNT];

/* NAME's place in course_categories, or -1 when it is not one of them. */
int course_category_index(const char *name);

/* "党课学习, 党章党规, …": for error messages. */
const char *course_category_list(void);

#endif
