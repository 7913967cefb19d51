from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Every list comes in pages: 50 rows unless `page_size` asks for another number up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
