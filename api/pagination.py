"""Pages of API lists: ?page=N&page_size=M, at most API_MAX_PAGE_SIZE rows (a larger page_size is
cut to it, never refused), so that no request reads a whole table."""
from django.conf import settings
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"

    @property
    def page_size(self):
        return settings.API_PAGE_SIZE

    @property
    def max_page_size(self):
        return settings.API_MAX_PAGE_SIZE
