/* The study section's fixed course categories (see course_category.h). */
#include "api/course_category.h"

#include <string.h>

const char *const course_categories[COURSE_CATEGORY_COUNT] = {
    "党课学习", "党章党规", "政策解读", "致富技术", "法律常识", "健康生活",
};

int course_category_index(const char *name)
{
    for (int i = 0; name && i < COURSE_CATEGORY_COUNT; i++)
        if (strcmp(course_categories[i], name) == 0)
            return i;
    return -1;
}

const char *course_category_list(void)
{
    return "党课学习, 党章党规, 政策解读, 致富技术, 法律常识, 健康生活";
}
